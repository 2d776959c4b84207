import { DomainError } from '@gatehouse/contracts';

/**
 * check-csrf-origin: a browser attaches the session cookie to a request whichever page makes it,
 * so on a cookie-authenticated route an unsafe request (anything but GET, HEAD, OPTIONS) must say
 * it comes from a page of an allowed origin. Browsers set `Origin` on every such request and a
 * page cannot forge it; a missing Origin, `null` (sandboxed frames, some redirects) or another
 * origin is `403 forbidden`. SameSite=Lax already keeps the cookie off most cross-site posts;
 * this also covers sibling subdomains, which browsers count as the same site.
 */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export function checkCsrfOrigin(method: string, origin: string | string[] | undefined, allowed: ReadonlySet<string>): void {
  if (SAFE_METHODS.has(method)) return;
  if (typeof origin === 'string' && allowed.has(origin)) return;
  const seen = typeof origin === 'string' ? origin.slice(0, 100) : 'none';
  throw new DomainError('forbidden', `${method.slice(0, 16)} on a session route from origin ${seen}`);
}
