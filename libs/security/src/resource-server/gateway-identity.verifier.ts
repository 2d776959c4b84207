import { Inject, Injectable, Logger as NestLogger, type OnModuleInit, Optional } from '@nestjs/common';
import { DomainError, HEADER, type Principal, principalFromClaims, type PrincipalClaims, REQUIRED_ACCESS_CLAIMS } from '@gatehouse/contracts';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import type { CredentialSource, CredentialVerifier } from '../credential-verifier';
import { singleBearerCredential } from '../jwt/check-single-credential';
import { JwtVerifier } from '../jwt/jwt-verifier';
import { ResourceServerSettings } from './resource-server.settings';
import { TrustedKeys } from './trusted-keys';

export const SERVICE_NAME = Symbol('gatehouse:service-name');

const MAX_TOKEN_LENGTH = 8192;
const INTERNAL_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'] as const;

/**
 * How a resource service learns who calls, by `IDENTITY_PROPAGATION`, matching the gateway's:
 * `internal-token` verifies the gateway's internal token (its keys, `aud` = this service, `typ`
 * `gh-internal+jwt`), so a request that did not come through the gateway is refused whatever
 * headers it carries; `pass-through` verifies the caller's access token with the auth app's keys;
 * `headers` believes the `X-User-*` headers, which only a network that lets nothing but the
 * gateway reach the service makes safe (said loudly at start).
 */
@Injectable()
export class GatewayIdentityVerifier implements CredentialVerifier, OnModuleInit {
  private readonly internal: JwtVerifier;
  private readonly access: JwtVerifier;

  constructor(
    private readonly settings: ResourceServerSettings,
    keys: TrustedKeys,
    @Inject(SERVICE_NAME) private readonly service: string,
    // A team's own service has no Gatehouse logger: its warning goes to Nest's.
    @Optional() @Inject(APP_LOGGER) private readonly logger?: Logger,
  ) {
    const leewaySeconds = settings.JWT_CLOCK_LEEWAY;
    this.internal = new JwtVerifier({
      keys: keys.only(settings.GATEWAY_INTERNAL_ISSUER),
      algorithms: ['ES256'],
      issuer: settings.GATEWAY_INTERNAL_ISSUER,
      audience: service,
      typ: 'gh-internal+jwt',
      requiredClaims: INTERNAL_CLAIMS,
      leewaySeconds,
    });
    this.access = new JwtVerifier({
      keys: keys.only(settings.AUTH_ISSUER),
      algorithms: ['RS256', 'ES256', 'EdDSA'],
      issuer: settings.AUTH_ISSUER,
      audience: settings.API_AUDIENCE,
      typ: 'at+jwt',
      requiredClaims: REQUIRED_ACCESS_CLAIMS,
      leewaySeconds,
    });
  }

  onModuleInit(): void {
    if (this.settings.IDENTITY_PROPAGATION !== 'headers') return;
    const warning = 'IDENTITY_PROPAGATION=headers: this service believes X-User-* headers as sent; the network must let nothing but the gateway reach it';
    if (this.logger) this.logger.warn({ service: this.service }, warning);
    else new NestLogger('Gatehouse').warn(`${this.service}: ${warning}`);
  }

  async verify(source: CredentialSource): Promise<Principal> {
    if (this.settings.IDENTITY_PROPAGATION === 'headers') return principalFromHeaders(source.headers);
    const token = singleBearerCredential(source, MAX_TOKEN_LENGTH);
    if (token === undefined) throw new DomainError('missing_token', 'no bearer token');
    const verifier = this.settings.IDENTITY_PROPAGATION === 'internal-token' ? this.internal : this.access;
    const { claims } = await verifier.verify(token);
    return principalFromClaims(claims as unknown as PrincipalClaims);
  }
}

function principalFromHeaders(headers: CredentialSource['headers']): Principal {
  const one = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? undefined : value;
  };
  const subject = one(HEADER.userId);
  const clientId = one(HEADER.clientId);
  const kind = one(HEADER.subjectType);
  if (!subject || !clientId || (kind !== 'user' && kind !== 'client')) throw new DomainError('missing_token', 'identity headers missing');
  return {
    kind,
    subject,
    clientId,
    tenantId: one(HEADER.tenantId) || undefined,
    roles: (one(HEADER.userRoles) ?? '').split(',').filter(Boolean),
    scopes: (one(HEADER.tokenScopes) ?? '').split(' ').filter(Boolean),
    email: one(HEADER.userEmail) || undefined,
    username: one(HEADER.userName) || undefined,
    tokenId: one(HEADER.requestId) ?? subject,
    // The gateway checked the token's lifetime; the headers carry none.
    expiresAt: Math.floor(Date.now() / 1000) + 60,
  };
}
