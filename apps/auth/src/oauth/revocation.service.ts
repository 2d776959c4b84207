import { Injectable } from '@nestjs/common';
import { OAuthError } from '@gatehouse/contracts';
import { AuditTrail } from '../audit/audit.service';
import { authenticateClient, type ClientCredentials } from '../clients/authenticate-client';
import { ClientLookup } from '../clients/client-lookup';
import { AccessTokenReader } from '../tokens/access-token.reader';
import { RevocationEvents } from '../revocations/revocation-events.service';
import { RefreshTokens } from '../tokens/refresh-tokens.service';
import { TokenLookup } from './token-lookup.service';

/**
 * RFC 7009. A client revokes only tokens issued to it: another client's token is refused and stays
 * valid. A refresh token takes its whole family with it; an access token joins the revocation list.
 * An unknown or already invalid token answers 200, as the RFC requires.
 */
@Injectable()
export class Revocation {
  constructor(
    private readonly clients: ClientLookup,
    private readonly lookup: TokenLookup,
    private readonly reader: AccessTokenReader,
    private readonly refreshTokens: RefreshTokens,
    private readonly audit: AuditTrail,
    private readonly events: RevocationEvents,
  ) {}

  async revoke(credentials: ClientCredentials, token: string): Promise<void> {
    const caller = await authenticateClient(this.clients, credentials);
    const found = await this.lookup.find(token);
    if (found.kind === 'none') return;
    const owner = found.kind === 'access' ? found.claims.client_id : found.row.clientId;
    if (owner !== caller.id) {
      await this.audit.record({ type: 'token.revocation', outcome: 'failure', actor: `client:${caller.id}`, clientId: caller.id, details: { owner } });
      throw new OAuthError('unauthorized_client', 'The token was not issued to this client.', `token of ${owner}`);
    }
    if (found.kind === 'access') {
      await this.reader.revoke(found.claims.jti, new Date(found.claims.exp * 1000));
      await this.events.accessToken(found.claims.jti, found.claims.exp);
      await this.audit.record({
        type: 'token.revocation',
        outcome: 'success',
        actor: `client:${caller.id}`,
        clientId: caller.id,
        tenantId: found.claims.tenant_id,
        details: { kind: 'access', jti: found.claims.jti },
      });
      return;
    }
    await this.refreshTokens.revokeFamily(found.row.familyId, 'revocation');
  }
}
