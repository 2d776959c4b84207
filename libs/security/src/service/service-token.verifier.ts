import { Inject, Injectable } from '@nestjs/common';
import { DomainError, type Principal, principalFromClaims, type PrincipalClaims, REQUIRED_ACCESS_CLAIMS } from '@gatehouse/contracts';
import type { MessageMeta } from '@gatehouse/transport';
import { authorize } from '../authorize';
import { singleBearerCredential } from '../jwt/check-single-credential';
import { JwtVerifier } from '../jwt/jwt-verifier';
import { SERVICE_NAME } from '../resource-server/gateway-identity.verifier';
import { ResourceServerSettings } from '../resource-server/resource-server.settings';
import { TrustedKeys } from '../resource-server/trusted-keys';
import { checkMessageTenant } from './check-message-tenant';

/**
 * The receiving side of service tokens: a message handler declared `@ServiceScopes(...)` runs
 * only for a client_credentials token from the auth app with `aud` = this service and every
 * declared scope, about the tenant the message names. No token or a bad one is
 * `missing_token`/`invalid_token`/...; a user's token (whatever its audience) is `forbidden`;
 * missing scopes are `insufficient_scope`; no tenant in the message is `invalid_request`, and a
 * tenant's token naming another tenant is `tenant_mismatch` (see check-message-tenant).
 */
@Injectable()
export class ServiceTokenVerifier {
  private readonly verifier: JwtVerifier;

  constructor(settings: ResourceServerSettings, keys: TrustedKeys, @Inject(SERVICE_NAME) service: string) {
    this.verifier = new JwtVerifier({
      keys: keys.only(settings.AUTH_ISSUER),
      algorithms: ['RS256', 'ES256'],
      issuer: settings.AUTH_ISSUER,
      audience: service,
      typ: 'at+jwt',
      requiredClaims: REQUIRED_ACCESS_CLAIMS,
      leewaySeconds: settings.JWT_CLOCK_LEEWAY,
    });
  }

  async verify(meta: MessageMeta, scopes: readonly string[], payload: unknown): Promise<Principal> {
    const token = singleBearerCredential({ headers: { authorization: meta.authorization } }, 8192);
    if (token === undefined) throw new DomainError('missing_token', 'message without a service token');
    const { claims } = await this.verifier.verify(token);
    const principal = principalFromClaims(claims as unknown as PrincipalClaims);
    if (principal.kind !== 'client') throw new DomainError('forbidden', 'a user token on a service message');
    authorize(principal, { scopes, roles: [] });
    checkMessageTenant(principal, payload);
    return principal;
  }
}
