import { Controller, Delete, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponse } from '@gatehouse/app-kit';
import { Public, type CredentialSource } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import { AuthSettings } from '../auth.settings';
import { AccountSessions, type SessionView } from './account-sessions.service';
import { SessionViewResponse } from './account-sessions.responses';
import { SessionIdPipe } from './session-id.pipe';
import { SessionHolders } from './session-holder';
import { clearedSessionCookie } from './session-cookie';

const UNAUTHENTICATED = 'missing_token (neither credential), invalid_token, token_expired, session_expired (the cookie names no live session)';

/**
 * A person's own sessions. Public at the guard: each route authenticates the person itself, as
 * `/auth/logout` does, by a bearer access token of the user or by the session cookie.
 */
@ApiTags('accounts')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('auth')
export class AccountSessionsController {
  private readonly secure: boolean;

  constructor(
    private readonly holders: SessionHolders,
    private readonly sessions: AccountSessions,
    private readonly settings: AuthSettings,
  ) {
    this.secure = settings.AUTH_ISSUER.startsWith('https://');
  }

  @Public()
  @Get('sessions')
  @ApiOperation({ summary: 'The live browser sessions of the signed-in person: device, address, created, last seen, and which one is this' })
  @ApiOkResponse({ type: [SessionViewResponse] })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: UNAUTHENTICATED })
  @ApiForbiddenResponse({ type: ErrorResponse, description: "forbidden: a client's own token speaks for no person" })
  async list(@Headers() headers: CredentialSource['headers'], @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionView[]> {
    const holder = await this.holders.identify(headers);
    void reply.header('cache-control', 'no-store');
    return this.sessions.list(holder, holder.currentId);
  }

  @Public()
  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'End one of my sessions, with its refresh tokens; every gateway refuses it within its poll interval' })
  @ApiNoContentResponse({ description: 'Ended' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'invalid_request: not a session id' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: UNAUTHENTICATED })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'not_found: no live session of mine has this id' })
  async end(@Param('id', SessionIdPipe) id: string, @Headers() headers: CredentialSource['headers']): Promise<void> {
    const holder = await this.holders.identify(headers);
    await this.sessions.end(holder, id, holder.accountId);
  }

  @Public()
  @Post('logout-everywhere')
  @HttpCode(204)
  @ApiOperation({ summary: 'End every session, refresh token and access token of the signed-in person' })
  @ApiNoContentResponse({ description: 'Ended; with the session cookie, Set-Cookie clears it' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: UNAUTHENTICATED })
  async endAll(@Headers() headers: CredentialSource['headers'], @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const holder = await this.holders.identify(headers);
    await this.sessions.endAll(holder, holder.accountId);
    if (holder.viaCookie) void reply.header('set-cookie', clearedSessionCookie(this.settings.SESSION_COOKIE_NAME, this.secure));
    void reply.header('cache-control', 'no-store');
  }
}
