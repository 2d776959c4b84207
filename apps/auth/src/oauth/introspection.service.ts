import { Injectable } from '@nestjs/common';
import { AuthSettings } from '../auth.settings';
import { authenticateClient, type ClientCredentials } from '../clients/authenticate-client';
import type { ClientEntity } from '../clients/client.entity';
import { ClientLookup } from '../clients/client-lookup';
import { mayIntrospectAny } from '../clients/introspection-privilege';
import { IntrospectionLimits } from './introspection-limits';
import { TokenLookup } from './token-lookup.service';

export type IntrospectionResponse = { active: false } | ({ active: true } & Record<string, unknown>);

const INACTIVE = { active: false } as const;

/**
 * RFC 7662. The caller is an authenticated client; it learns about its own tokens, or about any
 * token when it is marked `introspect` (the gateway, resource servers). Everything else, expired,
 * revoked, unknown or not the caller's, is exactly `{"active":false}`.
 */
@Injectable()
export class Introspection {
  constructor(
    private readonly settings: AuthSettings,
    private readonly clients: ClientLookup,
    private readonly lookup: TokenLookup,
    private readonly limits: IntrospectionLimits,
  ) {}

  async introspect(credentials: ClientCredentials, token: string): Promise<IntrospectionResponse> {
    const caller = await authenticateClient(this.clients, credentials);
    await this.limits.admit(caller);
    const answer = await this.answer(caller, token);
    if (!answer.active) await this.limits.answeredInactive(caller);
    return answer;
  }

  private async answer(caller: ClientEntity, token: string): Promise<IntrospectionResponse> {
    const found = await this.lookup.find(token);
    if (found.kind === 'none') return INACTIVE;
    const owner = found.kind === 'access' ? found.claims.client_id : found.row.clientId;
    if (!mayIntrospectAny(caller) && owner !== caller.id) return INACTIVE;
    if (found.kind === 'access') {
      const { claims } = found;
      return {
        active: true,
        token_type: 'Bearer',
        iss: claims.iss,
        sub: claims.sub,
        aud: claims.aud,
        exp: claims.exp,
        iat: claims.iat,
        nbf: claims.nbf,
        jti: claims.jti,
        client_id: claims.client_id,
        scope: claims.scope,
        roles: claims.roles,
        ...(claims.tenant_id ? { tenant_id: claims.tenant_id } : {}),
        ...(claims.email ? { email: claims.email } : {}),
        ...(claims.sid ? { sid: claims.sid } : {}),
        // How and when the person signed in, for step-up at the gateway.
        ...(claims.acr ? { acr: claims.acr, amr: claims.amr, auth_time: claims.auth_time } : {}),
      };
    }
    if (!found.active) return INACTIVE;
    const { row } = found;
    return {
      active: true,
      token_type: 'refresh_token',
      iss: this.settings.AUTH_ISSUER,
      sub: row.accountId,
      client_id: row.clientId,
      scope: row.scope,
      tenant_id: row.tenantId,
      iat: Math.floor(row.createdAt.getTime() / 1000),
      exp: Math.floor(Math.min(row.expiresAt.getTime(), row.idleExpiresAt.getTime()) / 1000),
    };
  }
}
