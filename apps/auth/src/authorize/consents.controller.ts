import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, type Principal } from '@gatehouse/contracts';
import { Authenticated, CurrentPrincipal } from '@gatehouse/security';
import { type ConsentView, consentView } from '../admin/admin-views';
import { Consents } from './consents.service';

/** A person's own consents to third-party clients: listed, and withdrawn one client at a time. */
@ApiTags('accounts')
@Controller('auth/consents')
export class ConsentsController {
  constructor(private readonly consents: Consents) {}

  @Authenticated()
  @Get()
  @ApiOperation({ summary: 'The third-party clients you allowed, and what' })
  @ApiOkResponse({ description: '[{ clientId, scopes, grantedAt }]' })
  async list(@CurrentPrincipal() principal: Principal): Promise<ConsentView[]> {
    if (!principal.tenantId) return [];
    return (await this.consents.list(principal.tenantId, principal.subject)).map(consentView);
  }

  @Authenticated()
  @Delete(':clientId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw a consent: the client must ask again at its next sign-in' })
  @ApiNoContentResponse({ description: 'Withdrawn' })
  @ApiNotFoundResponse({ description: 'not_found: no consent to this client' })
  async withdraw(@CurrentPrincipal() principal: Principal, @Param('clientId') clientId: string): Promise<void> {
    const withdrawn = principal.tenantId ? await this.consents.withdraw(principal.tenantId, principal.subject, clientId, principal.subject) : false;
    if (!withdrawn) throw new DomainError('not_found', `no consent of ${principal.subject} to ${clientId.slice(0, 128)}`);
  }
}
