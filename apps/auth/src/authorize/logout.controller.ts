import { Controller, Get, Headers, Post, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OAuthError } from '@gatehouse/contracts';
import { Public } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import { RawParameters, send } from './browser-answer';
import { errorPage } from './pages';
import { SignOut } from './sign-out.service';

/** The end-session endpoint: public, as the browser arrives from the client with nothing but a hint. */
@ApiTags('oauth')
@Controller('oauth/logout')
export class LogoutController {
  constructor(private readonly signOut: SignOut) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'End session (OpenID Connect RP-Initiated Logout): id_token_hint, post_logout_redirect_uri, state, client_id' })
  @ApiFoundResponse({ description: 'To the registered post_logout_redirect_uri, with state' })
  @ApiOkResponse({ description: 'The signed-out page (text/html)' })
  logout(
    @RawParameters('query') query: Record<string, unknown>,
    @Headers('cookie') cookie: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.run(reply, accept, false, query, cookie);
  }

  @Public()
  @Post()
  @ApiOperation({ summary: 'The same, by form post' })
  logoutByForm(
    @RawParameters('body') form: Record<string, unknown>,
    @Headers('cookie') cookie: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.run(reply, accept, true, form, cookie);
  }

  // Nothing here is redirected unverified: a refusal is a page, or an RFC 6749 body to a non-browser.
  private async run(
    reply: FastifyReply,
    accept: string | undefined,
    afterPost: boolean,
    source: Record<string, unknown>,
    cookie: string | undefined,
  ): Promise<void> {
    try {
      send(reply, await this.signOut.logout(source, cookie), afterPost);
    } catch (error) {
      if (!(error instanceof OAuthError) || !(accept ?? '').includes('text/html')) throw error;
      send(reply, { kind: 'page', status: error.status, html: errorPage(error.code, error.description), cookies: [] }, afterPost);
    }
  }
}
