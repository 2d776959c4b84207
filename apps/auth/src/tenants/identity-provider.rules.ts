import type { TenantIdentityProvider } from './tenant.entity';

/**
 * The form issuers are compared in. `https://idp.example/` and `https://idp.example` are one
 * provider to whoever configures them, and the gateway must never find two tenants for one token;
 * the unique index on tenants (migration 1763800000300) uses the same expression.
 */
export function issuerKey(issuer: string): string {
  return issuer.replace(/\/+$/, '');
}

/** The settings the rules depend on (a subset of AuthSettings, so tests need no full settings). */
export interface PlatformIdentity {
  AUTH_ISSUER: string;
  isProduction: boolean;
}

/** Why a well-formed provider is not acceptable on this platform, or null when it is. */
export function identityProviderProblem(provider: TenantIdentityProvider, platform: PlatformIdentity): string | null {
  // Tokens naming our own issuer are verified against our own keys: a tenant cannot claim them.
  if (issuerKey(provider.issuer) === issuerKey(platform.AUTH_ISSUER)) {
    return "the issuer is this platform's own (AUTH_ISSUER); a tenant's identity provider must be another issuer";
  }
  // Keys fetched over plain http could be swapped in transit, and with them every token accepted.
  if (platform.isProduction && !provider.jwksUri.startsWith('https://')) return 'jwksUri must be an https URL in production';
  return null;
}
