import { DomainError, type Principal } from '@gatehouse/contracts';
import type { Route } from '../routes/route';

/** What a request says about its tenant, read before its identity headers are stripped. */
export interface TenantHints {
  host?: string;
  /** From a `/tenants/<id>/` path prefix (already taken off the path). */
  path?: string;
  header?: string | string[];
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const PATH_PREFIX = /^\/tenants\/([a-z0-9][a-z0-9-]{0,62})(\/.*)?$/;

/** Takes a `/tenants/<id>/...` prefix off a path: the tenant and the rest, or undefined. */
export function splitTenantPath(path: string): { tenant: string; rest: string } | undefined {
  const match = PATH_PREFIX.exec(path);
  return match ? { tenant: match[1], rest: match[2] ?? '/' } : undefined;
}

/**
 * resolve-tenant: the tenant of a request from the route's sources, in the route's order, the
 * first that says something winning: `subdomain` (`<tenant>.<TENANT_BASE_HOST>`), `path`,
 * `header` (`X-Tenant-Id`), `claim` (the token's `tenant_id`). A malformed value is
 * `tenant_not_identified`, as is a request none of the sources identifies.
 */
export function resolveTenant(
  route: Route,
  hints: TenantHints,
  principal: Principal | undefined,
  baseHost: string | undefined,
): { tenant: string; source: string } {
  for (const source of route.tenant) {
    const value = candidate(source, hints, principal, baseHost);
    if (value === undefined) continue;
    if (!SLUG.test(value)) throw new DomainError('tenant_not_identified', `${source} names a malformed tenant`);
    return { tenant: value, source };
  }
  throw new DomainError('tenant_not_identified', `no tenant from ${route.tenant.join(', ')}`);
}

function candidate(source: Route['tenant'][number], hints: TenantHints, principal: Principal | undefined, baseHost: string | undefined): string | undefined {
  switch (source) {
    case 'subdomain': {
      const host = (hints.host ?? '').toLowerCase().replace(/:\d+$/, '');
      const suffix = baseHost ? `.${baseHost.toLowerCase()}` : undefined;
      return suffix && host.endsWith(suffix) ? host.slice(0, -suffix.length) : undefined;
    }
    case 'path':
      return hints.path;
    case 'header':
      if (Array.isArray(hints.header)) throw new DomainError('tenant_not_identified', 'several X-Tenant-Id headers');
      return hints.header || undefined;
    case 'claim':
      return principal?.tenantId;
  }
}
