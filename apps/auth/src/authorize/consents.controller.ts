import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorResponse } from '@gatehouse/app-kit';
import { DomainError, type Principal } from '@gatehouse/contracts';
import { Authenticated, CurrentPrincipal } from '@gatehouse/security';
import { type ConsentView, consentView } from '../admin/admin-views';
import { Consents } from './consents.service';
import { ConsentResponse } from './consent.response';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The account a token speaks for; none for a client acting as itself (`sub` = `client:<id>`). */
const accountOf = (principal: Principal) =>
  principal.tenantId && UUID.test(principal.subject) ? { tenantId: principal.tenantId, accountId: principal.subject } : undefined;

/** A person's own consents to third-party clients: listed, and withdrawn one client at a time. */
@ApiTags('accounts')
@Controller('auth/consents')
export class ConsentsController {
  constructor(private readonly consents: Consents) {}

  @Authenticated()
  @Get()
  @ApiOperation({ summary: 'The third-party clients you allowed, and what' })
  @ApiOkResponse({ type: [ConsentResponse] })
  async list(@CurrentPrincipal() principal: Principal): Promise<ConsentView[]> {
    const account = accountOf(principal);
    return account ? (await this.consents.list(account.tenantId, account.accountId)).map(consentView) : [];
  }

  @Authenticated()
  @Delete(':clientId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw a consent: the client must ask again at its next sign-in' })
  @ApiNoContentResponse({ description: 'Withdrawn' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'not_found: no consent to this client' })
  async withdraw(@CurrentPrincipal() principal: Principal, @Param('clientId') clientId: string): Promise<void> {
    const account = accountOf(principal);
    const withdrawn = account ? await this.consents.withdraw(account.tenantId, account.accountId, clientId, principal.subject) : false;
    if (!withdrawn) throw new DomainError('not_found', `no consent of ${principal.subject} to ${clientId.slice(0, 128)}`);
  }
}
