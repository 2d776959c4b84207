/** What a tenant's client may be aimed at: the platform's API audience and the tenant's scopes. */
export interface TenantClientBounds {
  apiAudience: string;
  /** The tenant's allowed scopes (allowedScopesOf). */
  tenantScopes: readonly string[];
}

/**
 * Why a tenant's client with this audience and these scopes may not exist, or undefined when it
 * may. Any audience but the API's is a service's (or nobody's), and a scope outside the tenant's
 * may be a service's: either would let the tenant act as a service, which acts for every tenant.
 */
export function tenantClientProblem(bounds: TenantClientBounds, audience: string | null | undefined, scopes: readonly string[]): string | undefined {
  if (audience != null && audience !== bounds.apiAudience) return `audience ${audience} is not the API audience ${bounds.apiAudience}`;
  const outside = scopes.filter((scope) => !bounds.tenantScopes.includes(scope));
  if (outside.length > 0) return `scope ${outside.join(' ')} is not among the tenant's allowed scopes`;
  return undefined;
}
