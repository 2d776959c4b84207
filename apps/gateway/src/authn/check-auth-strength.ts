import { DomainError, type Principal } from '@gatehouse/contracts';

/** What a route asks of the person's sign-in (RFC 9470): an acceptable `acr`, a recent `auth_time`. */
export interface AuthStrength {
  /** Any one of these `acr` values will do; empty: any. */
  requireAcr: readonly string[];
  /** Seconds since the sign-in, at most; absent: any age. */
  maxAuthAge?: number;
}

const DESCRIPTION = {
  acr: 'A different authentication level is required',
  age: 'More recent authentication is required',
} as const;

/**
 * Step-up (RFC 9470 section 3): a person's credential whose `acr` is not one the route accepts,
 * or whose `auth_time` is older than `maxAuthAge` (or unknown when an age is asked), is refused
 * with `401 insufficient_user_authentication` and a challenge naming what would do, which the
 * client passes on to the authorization endpoint as `acr_values` and `max_age`. A client acting
 * for itself has no sign-in to step up: routes for people refuse it by their scopes and roles.
 */
export function checkAuthStrength(principal: Principal, route: AuthStrength, nowSeconds: number): void {
  if (principal.kind !== 'user') return;
  const { requireAcr, maxAuthAge } = route;
  const acrShort = requireAcr.length > 0 && (principal.acr === undefined || !requireAcr.includes(principal.acr));
  const tooOld = maxAuthAge !== undefined && (principal.authTime === undefined || nowSeconds - principal.authTime > maxAuthAge);
  if (!acrShort && !tooOld) return;
  const description = acrShort ? DESCRIPTION.acr : DESCRIPTION.age;
  const challenge = [
    'Bearer realm="gatehouse"',
    'error="insufficient_user_authentication"',
    `error_description="${description}"`,
    ...(requireAcr.length > 0 ? [`acr_values="${requireAcr.join(' ')}"`] : []),
    ...(maxAuthAge !== undefined ? [`max_age=${maxAuthAge}`] : []),
  ].join(', ');
  const reason = acrShort
    ? `acr ${principal.acr ?? 'none'} not in ${requireAcr.join(' ')}`
    : `auth_time ${principal.authTime ?? 'none'} older than ${maxAuthAge}s`;
  throw new DomainError('insufficient_user_authentication', reason, { 'www-authenticate': challenge }, `${description}.`);
}
