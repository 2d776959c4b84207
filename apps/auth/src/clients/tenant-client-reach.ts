/** What a tenant's client may be aimed at: the platform's API audience and the tenant scopes. */
export interface TenantClientBounds {
  API_AUDIENCE: string;
  readonly tenantClientScopes: readonly string[];
}

/**
 * Why a tenant's client with this audience and these scopes may not exist, or undefined when it
 * may. Anything but the API audience is a service's (or nobody's) and anything outside the tenant
 * scopes may be a service's scope: either would let the tenant act as a service, which acts for
 * every tenant.
 */
export function tenantClientProblem(bounds: TenantClientBounds, audience: string | null | undefined, scopes: readonly string[]): string | undefined {
  if (audience != null && audience !== bounds.API_AUDIENCE) return `audience ${audience} is not the API audience ${bounds.API_AUDIENCE}`;
  const outside = scopes.filter((scope) => !bounds.tenantClientScopes.includes(scope));
  if (outside.length > 0) return `scope ${outside.join(' ')} is not among the tenant scopes`;
  return undefined;
}
