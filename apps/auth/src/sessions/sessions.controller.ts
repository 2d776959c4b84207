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
import { SessionReferenceDto, type SessionIntrospection } from './session.dto';
import { Sessions } from './sessions.service';
import { SessionIntrospectionResponse } from './session.responses';

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
  @ApiBadRequestResponse({ type: OAuthErrorResponse, description: 'invalid_grant, as /auth/login answers it' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'rate_limited: login limits, with Retry-After' })
  async start(
    @Body() input: LoginDto,
    @ClientAddress() ip: string,
    @Headers('cookie') cookie: string | undefined,
    @Headers('user-agent') userAgent: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const cookies = await this.sessions.start(input, ip, { userAgent, device: this.sessions.deviceCookie.read(cookie) });
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
