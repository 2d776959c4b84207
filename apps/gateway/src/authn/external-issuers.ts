import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError, type Principal } from '@gatehouse/contracts';
import { type JwksKey, JwksRegistry } from '@gatehouse/jwks';
import { JwtVerifier } from '@gatehouse/security';
import { GatewaySettings } from '../gateway.settings';
import { type RegisteredTenant, TenantRegistry } from '../tenancy/tenant-registry';
import { externalPrincipal } from './external-principal';

type IdentityProvider = NonNullable<RegisteredTenant['identityProvider']>;

function sameDeclaration(a: IdentityProvider, b: IdentityProvider): boolean {
  return a.jwksUri === b.jwksUri && a.audience === b.audience && (a.acceptTypJwt ?? false) === (b.acceptTypJwt ?? false);
}

/**
 * Tokens from tenants' own identity providers. The issuer a token claims picks the tenant that
 * declared it in auth's registry (none: `invalid_claims`); the token is verified with that
 * provider's JWKS and audience only, and its principal belongs to that tenant whatever the token
 * says. So a key of one issuer never verifies a token claiming another, an issuer never
 * authenticates another tenant, and the resolve-tenant step refuses the token on any other tenant's
 * request (`tenant_mismatch`).
 */
@Injectable()
export class ExternalIssuers implements OnApplicationShutdown {
  private readonly keys = new JwksRegistry();
  private readonly verifiers = new Map<string, { provider: IdentityProvider; verifier: JwtVerifier }>();

  constructor(
    private readonly settings: GatewaySettings,
    private readonly tenants: TenantRegistry,
  ) {}

  /** Synchronous hot path (the verified-token cache): the key if a usable set holds it. */
  peek(issuer: string, kid: string): JwksKey | undefined {
    return this.keys.peek(issuer, kid);
  }

  async verify(token: string, issuer: string): Promise<{ principal: Principal; key: JwksKey }> {
    const tenant = await this.tenants.byIssuer(issuer);
    const provider = tenant?.identityProvider;
    if (!tenant || !provider) throw new DomainError('invalid_claims', `iss ${JSON.stringify(issuer.slice(0, 200))} is not trusted`);
    const { claims, key } = await this.verifierFor(provider).verify(token);
    return { principal: externalPrincipal(claims, tenant.id, provider.rolesClaim, token), key };
  }

  onApplicationShutdown(): void {
    for (const issuer of this.keys.issuers()) this.keys.remove(issuer);
  }

  private verifierFor(provider: IdentityProvider): JwtVerifier {
    const known = this.verifiers.get(provider.issuer);
    if (known && sameDeclaration(known.provider, provider)) return known.verifier;
    // A provider declared anew (another JWKS URL, audience or typing) starts from fresh keys.
    this.keys.remove(provider.issuer);
    const { settings } = this;
    this.keys.add({
      issuer: provider.issuer,
      jwksUri: provider.jwksUri,
      allowedAlgs: settings.jwtAlgorithms,
      ttlMs: settings.JWKS_TTL * 1000,
      maxStaleMs: settings.JWKS_MAX_STALE * 1000,
    });
    const verifier = new JwtVerifier({
      keys: { peek: (issuer, kid) => this.keys.peek(issuer, kid), keyFor: (issuer, kid) => this.keys.keyFor(issuer, kid) },
      algorithms: settings.jwtAlgorithms,
      issuer: provider.issuer,
      audience: provider.audience,
      // RFC 9068's type by default. Many providers type their access tokens `JWT`, as they type
      // their ID tokens: accepting it is the operator's choice per provider (ID-token claims are
      // refused either way, see checkClaims).
      typ: provider.acceptTypJwt ? ['at+jwt', 'jwt'] : ['at+jwt'],
      requiredClaims: ['sub', 'exp'],
      leewaySeconds: settings.JWT_CLOCK_LEEWAY,
    });
    this.verifiers.set(provider.issuer, { provider, verifier });
    return verifier;
  }
}
