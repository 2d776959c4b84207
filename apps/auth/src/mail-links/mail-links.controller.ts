import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiNoContentResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ErrorResponse } from '@gatehouse/app-kit';
import { Public } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import { ClientAddress } from '../login-limits/client-address';
import { EmailVerification } from './email-verification.service';
import { MailRequestDto, ResetPasswordDto, VerifyEmailDto } from './mail-links.dto';
import { MAIL_REQUEST_ACCEPTED, MailRequestAccepted } from './mail-links.responses';
import { PasswordReset } from './password-reset.service';

const noStore = (reply: FastifyReply) => void reply.header('cache-control', 'no-store');

/** The JSON side of mail links: public, as the person has no credential (that is the point). */
@ApiTags('accounts')
@Controller('auth')
export class MailLinksController {
  constructor(
    private readonly passwordReset: PasswordReset,
    private readonly verification: EmailVerification,
  ) {}

  @Public()
  @Post('password/forgot')
  @HttpCode(202)
  @ApiOperation({ summary: 'Mail a password reset link to the account with this address, if any: the same 202 either way' })
  @ApiAcceptedResponse({ type: MailRequestAccepted })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'rate_limited: per address or per email, with Retry-After' })
  async forgot(@Body() input: MailRequestDto, @ClientAddress() ip: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<MailRequestAccepted> {
    noStore(reply);
    await this.passwordReset.forgot(input, ip);
    return MAIL_REQUEST_ACCEPTED;
  }

  @Public()
  @Post('password/reset')
  @HttpCode(204)
  @ApiOperation({ summary: "Set a new password with a reset link's token; ends every sign-in of the account" })
  @ApiNoContentResponse({ description: 'Set; every session and refresh token of the account is revoked' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'invalid_link (unknown, expired or used), invalid_request (a weak password)' })
  async reset(@Body() input: ResetPasswordDto, @ClientAddress() ip: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    noStore(reply);
    await this.passwordReset.reset(input, ip);
  }

  @Public()
  @Post('email/verify')
  @HttpCode(204)
  @ApiOperation({ summary: "Verify the account's email address with a verification link's token" })
  @ApiNoContentResponse({ description: 'Verified' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'invalid_link: unknown, expired, used, or the address changed since' })
  async verify(@Body() input: VerifyEmailDto, @ClientAddress() ip: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    noStore(reply);
    await this.verification.verify(input, ip);
  }

  @Public()
  @Post('email/verify/resend')
  @HttpCode(202)
  @ApiOperation({ summary: 'Mail a new verification link to the unverified account with this address, if any: the same 202 either way' })
  @ApiAcceptedResponse({ type: MailRequestAccepted })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'rate_limited: per address or per email, with Retry-After' })
  async resend(@Body() input: MailRequestDto, @ClientAddress() ip: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<MailRequestAccepted> {
    noStore(reply);
    await this.verification.resend(input, ip);
    return MAIL_REQUEST_ACCEPTED;
  }
}
