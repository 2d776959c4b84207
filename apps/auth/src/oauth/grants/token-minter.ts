import { Injectable } from '@nestjs/common';
import type { AuthenticationContext } from '@gatehouse/contracts';
import { AuthSettings } from '../../auth.settings';
import type { AccountEntity } from '../../accounts/account.entity';
import type { ClientEntity } from '../../clients/client.entity';
import { AccessTokenIssuer, type IssuedAccessToken } from '../../tokens/access-token.issuer';
import { RefreshTokens } from '../../tokens/refresh-tokens.service';
import { checkClientAudience } from '../checks/check-client-reach';
import type { TokenResponse } from '../token-request.dto';

/** The token response for an account: an access token, and a new refresh token family when allowed. */
@Injectable()
export class TokenMinter {
  constructor(
    private readonly settings: AuthSettings,
    private readonly issuer: AccessTokenIssuer,
    private readonly refreshTokens: RefreshTokens,
  ) {}

  /**
   * An access token that speaks for `account`, through `client`, within session `sid`. The audience
   * is checked here, on every grant that mints for an account (password, refresh, sessions).
   */
  accessFor(
    client: ClientEntity,
    account: AccountEntity,
    scope: string,
    sid: string,
    authentication: AuthenticationContext | null,
  ): Promise<IssuedAccessToken> {
    return this.issuer.issue({
      subject: account.id,
      clientId: client.id,
      audience: checkClientAudience(client, this.settings.API_AUDIENCE),
      scope,
      tenantId: account.tenantId,
      roles: account.roles,
      email: account.email,
      emailVerified: account.emailVerifiedAt !== null,
      username: account.username,
      sid,
      authentication,
    });
  }

  async forAccount(client: ClientEntity, account: AccountEntity, scope: string, sid: string, authentication: AuthenticationContext): Promise<TokenResponse> {
    const access = await this.accessFor(client, account, scope, sid, authentication);
    const response: TokenResponse = { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope };
    if (client.grantTypes.includes('refresh_token')) {
      response.refresh_token = await this.refreshTokens.startFamily(
        {
          clientId: client.id,
          accountId: account.id,
          tenantId: account.tenantId,
          scope,
          sid,
          amr: authentication.amr,
          authTime: new Date(authentication.authTime * 1000),
        },
        access,
      );
    }
    return response;
  }
}
