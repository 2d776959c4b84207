import { Injectable } from '@nestjs/common';
import { OAuthError } from '@gatehouse/contracts';
import { AccountsRepository } from '../../accounts/accounts.repository';
import { AuditTrail } from '../../audit/audit.service';
import type { ClientEntity } from '../../clients/client.entity';
import { TenantLookup } from '../../tenants/tenant-lookup';
import { RefreshTokens } from '../../tokens/refresh-tokens.service';
import { checkScope } from '../checks/check-scope';
import { checkTenantActive } from '../checks/check-tenant-active';
import type { TokenRequestDto, TokenResponse } from '../token-request.dto';
import { TokenMinter } from './token-minter';

/** RFC 6749 section 6, with rotation on every use (RFC 9700 section 4.14). */
@Injectable()
export class RefreshTokenGrant {
  constructor(
    private readonly refreshTokens: RefreshTokens,
    private readonly accounts: AccountsRepository,
    private readonly tenants: TenantLookup,
    private readonly minter: TokenMinter,
    private readonly audit: AuditTrail,
  ) {}

  async handle(client: ClientEntity, form: TokenRequestDto): Promise<TokenResponse> {
    if (!form.refresh_token) throw new OAuthError('invalid_request', 'refresh_token is required.');
    const current = await this.refreshTokens.find(form.refresh_token, client.id);
    const replayed = await this.refreshTokens.replay(current, form.refresh_token);
    if (replayed) return { token_type: 'Bearer', ...replayed };
    // The scope may narrow, never widen beyond what the family was granted.
    const scope = checkScope(form.scope, current.scope.split(' ').filter(Boolean));
    const tenant = await checkTenantActive(this.tenants, current.tenantId);
    const account = tenant?.status === 'active' ? await this.accounts.findById(current.tenantId, current.accountId) : null;
    if (!account || account.status !== 'active') {
      throw new OAuthError('invalid_grant', 'The refresh token is invalid or expired.', 'account or tenant no longer active');
    }
    const access = await this.minter.accessFor(client, account, scope, current.sid);
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
