import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../../audit/audit.service';
import { AuthSettings } from '../../auth.settings';
import type { ClientEntity } from '../../clients/client.entity';
import { AccessTokenIssuer } from '../../tokens/access-token.issuer';
import { TenantLookup } from '../../tenants/tenant-lookup';
import { allowedScopesOf } from '../../tenants/tenant-scopes';
import { checkClientReach } from '../checks/check-client-reach';
import { checkScope } from '../checks/check-scope';
import { checkTenantActive } from '../checks/check-tenant-active';
import type { TokenRequestDto, TokenResponse } from '../token-request.dto';

/** RFC 6749 section 4.4: a confidential client acting for itself. No refresh token. */
@Injectable()
export class ClientCredentialsGrant {
  constructor(
    private readonly settings: AuthSettings,
    private readonly issuer: AccessTokenIssuer,
    private readonly audit: AuditTrail,
    private readonly tenants: TenantLookup,
  ) {}

  async handle(client: ClientEntity, form: TokenRequestDto): Promise<TokenResponse> {
    const tenant = await checkTenantActive(this.tenants, client.tenantId);
    const reach = checkClientReach(client, this.settings.API_AUDIENCE, allowedScopesOf(tenant, this.settings.tenantClientScopes));
    const scope = checkScope(form.scope, reach.scopes);
    const access = await this.issuer.issue({
      subject: `client:${client.id}`,
      clientId: client.id,
      audience: reach.audience,
      scope,
      tenantId: client.tenantId ?? undefined,
      roles: [],
    });
    await this.audit.record({
      type: 'token.issued',
      outcome: 'success',
      actor: `client:${client.id}`,
      tenantId: client.tenantId ?? undefined,
      clientId: client.id,
      details: { grant: 'client_credentials', scope, jti: access.jti },
    });
    return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope };
  }
}
