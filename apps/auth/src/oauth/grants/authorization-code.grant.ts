import { InjectDataSource } from '@nestjs/typeorm';
import { Injectable } from '@nestjs/common';
import { type AuthenticationMethod, OAuthError } from '@gatehouse/contracts';
import type { DataSource } from 'typeorm';
import { AuditTrail } from '../../audit/audit.service';
import { AuthorizationCodes } from '../../authorize/authorization-codes.service';
import type { ClientEntity } from '../../clients/client.entity';
import { Sessions } from '../../sessions/sessions.service';
import { IdTokenIssuer } from '../../tokens/id-token.issuer';
import { RefreshTokenEntity } from '../../tokens/refresh-token.entity';
import { hashRefreshToken, RefreshTokens } from '../../tokens/refresh-tokens.service';
import { pkceMatches } from '../checks/check-pkce';
import type { TokenRequestDto, TokenResponse } from '../token-request.dto';
import { TokenMinter } from './token-minter';

const invalidGrant = (reason: string) => new OAuthError('invalid_grant', 'The authorization code is invalid, expired or already used.', reason);

/**
 * RFC 6749 section 4.1.3 with PKCE (RFC 7636): the code is claimed first (one redemption wins),
 * then every binding is checked: client, redirect URI, verifier, and the session it was issued
 * under still live. What it issues is recorded on the code, for a replay to revoke; with `openid`
 * an ID token joins the answer.
 */
@Injectable()
export class AuthorizationCodeGrant {
  constructor(
    private readonly codes: AuthorizationCodes,
    private readonly sessions: Sessions,
    private readonly minter: TokenMinter,
    private readonly refreshTokens: RefreshTokens,
    private readonly audit: AuditTrail,
    private readonly idTokens: IdTokenIssuer,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async handle(client: ClientEntity, form: TokenRequestDto): Promise<TokenResponse> {
    if (!form.code) throw new OAuthError('invalid_request', 'code is required.');
    if (!form.redirect_uri) throw new OAuthError('invalid_request', 'redirect_uri is required.');
    if (!form.code_verifier) throw new OAuthError('invalid_request', 'code_verifier is required.');
    const code = await this.codes.redeem(form.code);
    if (code.clientId !== client.id) throw invalidGrant(`code of ${code.clientId} presented by ${client.id}`);
    if (code.redirectUri !== form.redirect_uri) throw invalidGrant('redirect_uri differs from the authorization request');
    if (!pkceMatches(form.code_verifier, code.codeChallenge)) throw invalidGrant('code_verifier does not match the challenge');
    const live = await this.sessions.live(code.sid);
    if (!live || live.account.id !== code.accountId) throw invalidGrant('the sign-in session ended');
    const authentication = { amr: live.session.amr as AuthenticationMethod[], authTime: Math.floor(code.authTime.getTime() / 1000) };
    const access = await this.minter.accessFor(client, live.account, code.scope, code.sid, authentication);
    const response: TokenResponse = { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope: code.scope };
    let refreshFamilyId: string | null = null;
    if (client.grantTypes.includes('refresh_token')) {
      const family = {
        clientId: client.id,
        accountId: live.account.id,
        tenantId: live.account.tenantId,
        scope: code.scope,
        sid: code.sid,
        amr: live.session.amr,
        authTime: code.authTime,
      };
      response.refresh_token = await this.refreshTokens.startFamily(family, access);
      const row = await this.dataSource.getRepository(RefreshTokenEntity).findOneByOrFail({ tokenHash: hashRefreshToken(response.refresh_token) });
      refreshFamilyId = row.familyId;
    }
    if (code.scope.split(' ').includes('openid')) {
      response.id_token = await this.idTokens.issue({
        account: live.account,
        clientId: client.id,
        scope: code.scope,
        sid: code.sid,
        authTime: code.authTime,
        amr: live.session.amr,
        nonce: code.nonce,
        accessToken: access.token,
      });
    }
    await this.codes.recordIssued(code.codeHash, { accessJti: access.jti, accessExpiresAt: access.expiresAt, refreshFamilyId });
    await this.audit.record({
      type: 'token.issued',
      outcome: 'success',
      actor: live.account.id,
      tenantId: live.account.tenantId,
      clientId: client.id,
      details: { grant: 'authorization_code', scope: code.scope, sid: code.sid },
    });
    return response;
  }
}
