import { Injectable } from '@nestjs/common';
import { OAuthError } from '@gatehouse/contracts';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AccessTokenReader } from '../tokens/access-token.reader';
import { identityClaims } from '../tokens/id-token.issuer';

// RFC 6750 section 3: the challenge names the error, so a client knows to refresh or sign in again.
const challenge = (error: string) => ({ 'www-authenticate': `Bearer realm="gatehouse", error="${error}"` });
const invalidToken = (reason: string) =>
  new OAuthError('invalid_token', 'The access token is invalid, expired or revoked.', reason, challenge('invalid_token'));

/** OpenID Connect Core section 5.3: the claims an access token with `openid` may read, by its scopes. */
@Injectable()
export class UserInfo {
  constructor(
    private readonly reader: AccessTokenReader,
    private readonly accounts: AccountsRepository,
  ) {}

  async claims(authorization: string | string[] | undefined): Promise<Record<string, unknown>> {
    // RFC 6750 section 3.1: no error in the challenge when no credential was sent; the body still names one.
    if (authorization === undefined)
      throw new OAuthError('invalid_token', 'A bearer access token is required.', 'no Authorization header', {
        'www-authenticate': 'Bearer realm="gatehouse"',
      });
    if (Array.isArray(authorization))
      throw new OAuthError('invalid_request', 'Send one Authorization header.', 'several Authorization headers', challenge('invalid_request'));
    const [scheme, token, extra] = authorization.trim().split(/\s+/);
    if (scheme?.toLowerCase() !== 'bearer' || !token || extra !== undefined) throw invalidToken('Authorization is not a single Bearer token');
    const read = await this.reader.read(token);
    if (!read.valid) throw invalidToken(`access token ${read.reason}`);
    const scopes = typeof read.claims.scope === 'string' ? read.claims.scope.split(' ') : [];
    if (!scopes.includes('openid'))
      throw new OAuthError('insufficient_scope', 'The access token was not granted the openid scope.', undefined, challenge('insufficient_scope'));
    const tenantId = typeof read.claims.tenant_id === 'string' ? read.claims.tenant_id : undefined;
    const account = tenantId && read.claims.sub ? await this.accounts.findById(tenantId, read.claims.sub) : null;
    if (!account || account.status !== 'active') throw invalidToken('account unknown or disabled');
    return identityClaims(account, scopes);
  }
}
