import { Body, Controller, Delete, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ErrorResponse } from '@gatehouse/app-kit';
import { DomainError, type Principal } from '@gatehouse/contracts';
import { Authenticated, CurrentPrincipal } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import type { AccountEntity } from '../accounts/account.entity';
import { AccountsRepository } from '../accounts/accounts.repository';
import { ClientAddress } from '../login-limits/client-address';
import { TenantLookup } from '../tenants/tenant-lookup';
import { MfaFactors } from './mfa-factors.service';
import { MfaCodeDto, RecoveryCodesResponse, TotpOfferResponse } from './mfa.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A person's own TOTP second factor: enrol, confirm with a first code, disable with a fresh one. */
@ApiTags('accounts')
@Controller('auth/mfa/totp')
export class MfaController {
  constructor(
    private readonly factors: MfaFactors,
    private readonly accounts: AccountsRepository,
    private readonly tenants: TenantLookup,
  ) {}

  @Authenticated()
  @Post()
  @ApiOperation({ summary: 'Start a TOTP enrolment: a new secret and its otpauth:// URI, pending until confirmed' })
  @ApiCreatedResponse({ type: TotpOfferResponse, description: 'Cache-Control: no-store' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'conflict: already enabled' })
  async begin(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<TotpOfferResponse> {
    const account = await this.accountOf(principal);
    const tenant = await this.tenants.find(account.tenantId);
    const offer = await this.factors.begin(account, tenant?.name ?? 'Gatehouse');
    void reply.header('cache-control', 'no-store');
    return { secret: offer.secret, otpauth_uri: offer.otpauthUri };
  }

  @Authenticated()
  @Post('confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the enrolment with a first code: two-step verification is on; ten recovery codes, shown once' })
  @ApiOkResponse({ type: RecoveryCodesResponse, description: 'Cache-Control: no-store' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'invalid_otp: wrong, expired or already used code' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'conflict: no pending enrolment' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'rate_limited: login limits, with Retry-After' })
  async confirm(
    @CurrentPrincipal() principal: Principal,
    @Body() input: MfaCodeDto,
    @ClientAddress() ip: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecoveryCodesResponse> {
    const account = await this.accountOf(principal);
    const codes = await this.factors.confirm({ account, ip }, input.code);
    void reply.header('cache-control', 'no-store');
    return { recovery_codes: codes };
  }

  @Authenticated()
  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Disable two-step verification: needs a fresh code (or a recovery code)' })
  @ApiNoContentResponse({ description: 'Disabled; the recovery codes are gone too' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'invalid_otp' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'conflict: not enabled' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'rate_limited' })
  async disable(@CurrentPrincipal() principal: Principal, @Body() input: MfaCodeDto, @ClientAddress() ip: string): Promise<void> {
    await this.factors.disable({ account: await this.accountOf(principal), ip }, input.code);
  }

  /** The person a token speaks for; a client acting as itself has no second factor. */
  private async accountOf(principal: Principal): Promise<AccountEntity> {
    const account = principal.tenantId && UUID.test(principal.subject) ? await this.accounts.findById(principal.tenantId, principal.subject) : null;
    if (!account || account.status !== 'active') throw new DomainError('forbidden', `${principal.subject} is no active account`);
    return account;
  }
}
