import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import { type JwksKey, JwksRegistry } from '@gatehouse/jwks';
import type { KeySource } from '../jwt/jwt-verifier';
import { ResourceServerSettings } from './resource-server.settings';

/**
 * The key sets a service trusts: the gateway's internal keys (ES256) and the auth app's signing
 * keys (access tokens in pass-through mode, service tokens on messages). Fetched on first use,
 * not at start: in the platform the gateway starts after the services. The gateway is a trusted
 * internal issuer, so an unknown kid of its refetches on demand (at most once a second) instead of
 * waiting out the 30 s cooldown kept for the auth app's set.
 */
@Injectable()
export class TrustedKeys implements KeySource, OnApplicationShutdown {
  private readonly registry: JwksRegistry;

  constructor(settings: ResourceServerSettings) {
    const common = { ttlMs: settings.JWKS_TTL * 1000, maxStaleMs: settings.JWKS_MAX_STALE * 1000 };
    this.registry = new JwksRegistry([
      { issuer: settings.GATEWAY_INTERNAL_ISSUER, jwksUri: settings.internalJwksUrl, allowedAlgs: ['ES256'], unknownKidRefetch: 'on-demand', ...common },
      { issuer: settings.AUTH_ISSUER, jwksUri: settings.authJwksUrl, allowedAlgs: ['RS256', 'ES256'], ...common },
    ]);
  }

  peek(issuer: string, kid: string): JwksKey | undefined {
    return this.registry.peek(issuer, kid);
  }

  keyFor(issuer: unknown, kid: string): Promise<JwksKey> {
    return this.registry.keyFor(issuer, kid);
  }

  /** The same keys restricted to one issuer: a verifier for internal tokens never sees auth's keys. */
  only(issuer: string): KeySource {
    return {
      peek: (claimed, kid) => (claimed === issuer ? this.peek(claimed, kid) : undefined),
      keyFor: (claimed, kid) =>
        claimed === issuer
          ? this.keyFor(claimed, kid)
          : Promise.reject(new DomainError('invalid_claims', `iss ${JSON.stringify(claimed)?.slice(0, 200)} not accepted here`)),
    };
  }

  onApplicationShutdown(): void {
    this.registry.close();
  }
}
