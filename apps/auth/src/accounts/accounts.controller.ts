import { Body, Controller, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponse } from '@gatehouse/app-kit';
import type { Principal } from '@gatehouse/contracts';
import { Authenticated, type CredentialSource, CurrentPrincipal, Public } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import { ClientAddress } from '../login-limits/client-address';
import type { TokenResponse } from '../oauth/token-request.dto';
import { LoginDto, type Me, RegisterDto, type RegisteredAccount } from './account.dto';
import { AccountsService } from './accounts.service';
import { MeResponse, RegisteredAccountResponse } from './account.responses';
import { OAuthTokenResponse } from '../oauth/oauth.responses';

@ApiTags('accounts')
@Controller('auth')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account in an active tenant' })
  @ApiCreatedResponse({ type: RegisteredAccountResponse, description: 'The account (never its password)' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'conflict: username or email taken' })
  register(@Body() input: RegisterDto, @ClientAddress() ip: string): Promise<RegisteredAccount> {
    return this.accounts.register(input, ip);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'First-party login: the token response of the password grant' })
  @ApiOkResponse({ type: OAuthTokenResponse, description: 'Cache-Control: no-store' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'rate_limited: login limits, with Retry-After' })
  login(@Body() input: LoginDto, @ClientAddress() ip: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponse> {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return this.accounts.login(input, ip);
  }

  /** Public at the guard: logout authenticates what it ends itself, a bearer token, the session cookie, or both. */
  @Public()
  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    summary: 'End the session',
    description: 'A bearer token: its refresh tokens and the token itself. The session cookie: that browser session, and the cookie is cleared.',
  })
  @ApiNoContentResponse({ description: 'Ended; with the session cookie, Set-Cookie clears it' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'missing_token (neither credential), invalid_token, token_expired' })
  async logout(@Headers() headers: CredentialSource['headers'], @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const clearedCookie = await this.accounts.logout(headers);
    if (clearedCookie) void reply.header('set-cookie', clearedCookie).header('cache-control', 'no-store');
  }

  @Authenticated()
  @Get('me')
  @ApiOperation({ summary: 'Who the access token speaks for' })
  @ApiOkResponse({ type: MeResponse })
  me(@CurrentPrincipal() principal: Principal): Me {
    return this.accounts.me(principal);
  }
}
