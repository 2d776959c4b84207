import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConsumes,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponse, OAuthErrorBodies, OAuthErrorResponse } from '@gatehouse/app-kit';
import { Public } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import { ClientAddress } from '../login-limits/client-address';
import { LoginDto } from '../accounts/account.dto';
import { OAuthForm } from '../oauth/oauth-form.decorator';
import { SessionCodeDto, SessionReferenceDto, type SessionIntrospection } from './session.dto';
import { type MfaChallenge, Sessions } from './sessions.service';
import { MfaChallengeResponse, SessionIntrospectionResponse } from './session.responses';

@ApiTags('accounts')
@Controller('auth/session')
export class SessionsController {
  constructor(private readonly sessions: Sessions) {}

  /** Public: the password is the credential, checked as `/auth/login` checks it. */
  @Public()
  @Post()
  @HttpCode(204)
  @ApiOperation({ summary: 'Browser login: opens a session and sets its HttpOnly cookie' })
  @ApiNoContentResponse({ description: 'Set-Cookie: the session cookie and the device cookie' })
  @ApiOkResponse({ type: MfaChallengeResponse, description: 'An enrolled account sent no otp: no session yet; POST /auth/session/mfa' })
  @ApiBadRequestResponse({ type: OAuthErrorResponse, description: 'invalid_grant, as /auth/login answers it' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'rate_limited: login limits, with Retry-After' })
  async start(
    @Body() input: LoginDto,
    @ClientAddress() ip: string,
    @Headers('cookie') cookie: string | undefined,
    @Headers('user-agent') userAgent: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MfaChallenge | undefined> {
    const started = await this.sessions.start(input, ip, { userAgent, device: this.sessions.deviceCookie.read(cookie) });
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    if ('mfa_required' in started) {
      void reply.status(200);
      return started;
    }
    void reply.header('set-cookie', started.cookies);
    return undefined;
  }

  /** Public: the challenge's token and the code are the credential, each checked and limited. */
  @Public()
  @Post('mfa')
  @HttpCode(204)
  @ApiOperation({ summary: 'Browser login, second step: the code (or a recovery code) against the challenge opens the session' })
  @ApiNoContentResponse({ description: 'Set-Cookie: the session cookie and the device cookie' })
  @ApiBadRequestResponse({ type: OAuthErrorResponse, description: 'invalid_grant: wrong, replayed or spent code, or an expired challenge' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'rate_limited: login limits, with Retry-After' })
  async second(
    @Body() input: SessionCodeDto,
    @ClientAddress() ip: string,
    @Headers('cookie') cookie: string | undefined,
    @Headers('user-agent') userAgent: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const cookies = await this.sessions.startWithCode(input.mfa_token, input.otp, ip, { userAgent, device: this.sessions.deviceCookie.read(cookie) });
    void reply.header('set-cookie', cookies).header('cache-control', 'no-store').header('pragma', 'no-cache');
  }

  /** Public at the edge: the calling client authenticates itself here, as at `/oauth/introspect`. */
  @Public()
  @Post('introspect')
  @OAuthErrorBodies()
  @HttpCode(200)
  @ApiOperation({ summary: 'Session introspection for the gateway (RFC 7662 style); slides the idle expiry' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({ type: SessionIntrospectionResponse, description: 'The session state; anything not active is exactly {"active":false}' })
  @ApiUnauthorizedResponse({ type: OAuthErrorResponse, description: 'invalid_client' })
  introspect(
    @OAuthForm(SessionReferenceDto) form: SessionReferenceDto,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionIntrospection> {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return this.sessions.introspect({ authorization, clientId: form.client_id, clientSecret: form.client_secret }, form.session);
  }
}
