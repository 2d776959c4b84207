import { Injectable } from '@nestjs/common';
import { type AuthenticationMethod, OAuthError } from '@gatehouse/contracts';
import { AccountsRepository } from '../../accounts/accounts.repository';
import { AuditTrail } from '../../audit/audit.service';
import { AuthSettings } from '../../auth.settings';
import type { ClientEntity } from '../../clients/client.entity';
import { TenantLookup } from '../../tenants/tenant-lookup';
import { allowedScopesOf } from '../../tenants/tenant-scopes';
import { RefreshTokens } from '../../tokens/refresh-tokens.service';
import { checkClientReach } from '../checks/check-client-reach';
import { checkScope } from '../checks/check-scope';
import { checkTenantActive } from '../checks/check-tenant-active';
import type { TokenRequestDto, TokenResponse } from '../token-request.dto';
import { OIDC_SCOPES } from '../../authorize/oidc-scopes';
import { TokenMinter } from './token-minter';

/**
 * What a refresh may grant: the family's scope (a refresh narrows, never widens), less whatever
 * the client may no longer reach (its own scopes, and its tenant's allowed ones) since the family
 * started, so cutting either takes effect at the next refresh rather than when its users' refresh
 * tokens expire. A family left with nothing is refused instead of answered with a token that grants
 * nothing.
 */
function refreshableScope(familyScope: string, client: ClientEntity, reachable: readonly string[]): string[] {
  const granted = familyScope.split(' ').filter(Boolean);
  const kept = granted.filter((scope) => reachable.includes(scope));
  if (granted.length > 0 && kept.length === 0) {
    throw new OAuthError(
      'invalid_scope',
      'The client may no longer be granted the scope of this refresh token.',
      `client ${client.id} lost: ${granted.join(' ')}`,
    );
  }
  return kept;
}

/** RFC 6749 section 6, with rotation on every use (RFC 9700 section 4.14). */
@Injectable()
export class RefreshTokenGrant {
  constructor(
    private readonly settings: AuthSettings,
    private readonly refreshTokens: RefreshTokens,
    private readonly accounts: AccountsRepository,
    private readonly tenants: TenantLookup,
    private readonly minter: TokenMinter,
    private readonly audit: AuditTrail,
  ) {}

  async handle(client: ClientEntity, form: TokenRequestDto): Promise<TokenResponse> {
    if (!form.refresh_token) throw new OAuthError('invalid_request', 'refresh_token is required.');
    const current = await this.refreshTokens.find(form.refresh_token, client.id);
    // The loser of a race (two tabs) within the grace gets the winner's pair, already checked and issued.
    const replayed = await this.refreshTokens.replay(current, form.refresh_token);
    if (replayed) return { token_type: 'Bearer', ...replayed };
    const tenant = await checkTenantActive(this.tenants, current.tenantId);
    const reach = checkClientReach(client, this.settings.API_AUDIENCE, allowedScopesOf(tenant, this.settings.tenantClientScopes));
    // A family from a sign-in keeps its OpenID Connect scopes: they are about the person, not an API.
    const reachable = client.grantTypes.includes('authorization_code') ? [...reach.scopes, ...OIDC_SCOPES] : reach.scopes;
    const scope = checkScope(form.scope, refreshableScope(current.scope, client, reachable));
    const account = tenant?.status === 'active' ? await this.accounts.findById(current.tenantId, current.accountId) : null;
    if (!account || account.status !== 'active') {
      throw new OAuthError('invalid_grant', 'The refresh token is invalid or expired.', 'account or tenant no longer active');
    }
    const authentication = current.authTime ? { amr: current.amr as AuthenticationMethod[], authTime: Math.floor(current.authTime.getTime() / 1000) } : null;
    const access = await this.minter.accessFor(client, account, scope, current.sid, authentication);
    const rotation = await this.refreshTokens.rotate(current, form.refresh_token, access, scope);
    if (rotation.replayed) return { token_type: 'Bearer', ...rotation.pair };
    await this.audit.record({
      type: 'token.refreshed',
      outcome: 'success',
      actor: account.id,
      tenantId: account.tenantId,
      clientId: client.id,
      details: { familyId: current.familyId, scope },
    });
    return { token_type: 'Bearer', ...rotation.pair };
  }
}
