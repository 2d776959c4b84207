import { Controller, Get, Headers, Post, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OAuthError } from '@gatehouse/contracts';
import { Public } from '@gatehouse/security';
import type { FastifyReply } from 'fastify';
import { ClientAddress } from '../login-limits/client-address';
import { RedirectableError } from './authorization.service';
import { RawParameters, send, type BrowserAnswer } from './browser-answer';
import { errorPage } from './pages';
import { SignIn } from './sign-in.service';
import { SignInSecondStep } from './sign-in-second-step';
import { HostTenant } from './tenant-from-host';

/**
 * The browser side of OpenID Connect: the authorization endpoint, its login and consent forms.
 * Public by nature: the person proves who they are here.
 */
@ApiTags('oauth')
@Controller('oauth/authorize')
export class AuthorizeController {
  constructor(
    private readonly signIn: SignIn,
    private readonly secondStep: SignInSecondStep,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Authorization endpoint (RFC 6749 section 4.1, OpenID Connect): response_type=code with PKCE S256' })
  @ApiOkResponse({ description: 'The login or consent page (text/html)' })
  @ApiFoundResponse({ description: 'Back to the redirect URI with code (or error), state and iss' })
  authorize(
    @RawParameters('query') query: Record<string, unknown>,
    @Headers('cookie') cookie: string | undefined,
    @HostTenant() hostTenant: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.run(reply, accept, false, () => this.signIn.authorize(query, cookie, hostTenant));
  }

  @Public()
  @Post()
  @ApiOperation({ summary: 'The authorization request as a form post (OpenID Connect Core section 3.1.2.1)' })
  authorizeByForm(
    @RawParameters('body') form: Record<string, unknown>,
    @Headers('cookie') cookie: string | undefined,
    @HostTenant() hostTenant: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.run(reply, accept, true, () => this.signIn.authorize(form, cookie, hostTenant));
  }

  @Public()
  @Post('login')
  @ApiExcludeEndpoint()
  login(
    @RawParameters('body') form: Record<string, unknown>,
    @Headers('cookie') cookie: string | undefined,
    @ClientAddress() ip: string,
    @HostTenant() hostTenant: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Headers('user-agent') userAgent: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.run(reply, accept, true, () => this.secondStep.login(form, cookie, ip, hostTenant, userAgent));
  }

  /** The second step: the code of an enrolled person. */
  @Public()
  @Post('mfa')
  @ApiExcludeEndpoint()
  mfa(
    @RawParameters('body') form: Record<string, unknown>,
    @Headers('cookie') cookie: string | undefined,
    @ClientAddress() ip: string,
    @HostTenant() hostTenant: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Headers('user-agent') userAgent: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.run(reply, accept, true, () => this.secondStep.code(form, cookie, ip, hostTenant, userAgent));
  }

  /** The second step of one who must enrol: the first code confirms the enrolment. */
  @Public()
  @Post('mfa/enrol')
  @ApiExcludeEndpoint()
  mfaEnrol(
    @RawParameters('body') form: Record<string, unknown>,
    @Headers('cookie') cookie: string | undefined,
    @ClientAddress() ip: string,
    @HostTenant() hostTenant: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.run(reply, accept, true, () => this.secondStep.enrol(form, cookie, ip, hostTenant));
  }

  /** After the recovery codes were shown: the session opens. */
  @Public()
  @Post('mfa/continue')
  @ApiExcludeEndpoint()
  mfaContinue(
    @RawParameters('body') form: Record<string, unknown>,
    @Headers('cookie') cookie: string | undefined,
    @ClientAddress() ip: string,
    @HostTenant() hostTenant: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Headers('user-agent') userAgent: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.run(reply, accept, true, () => this.secondStep.continue(form, cookie, ip, hostTenant, userAgent));
  }

  @Public()
  @Post('consent')
  @ApiExcludeEndpoint()
  consent(
    @RawParameters('body') form: Record<string, unknown>,
    @Headers('cookie') cookie: string | undefined,
    @HostTenant() hostTenant: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.run(reply, accept, true, () => this.signIn.consent(form, cookie, hostTenant));
  }

  /**
   * Errors past the redirect URI's verification go back to the client; before it, they are shown:
   * a page to a browser, an RFC 6749 body to anything that does not ask for HTML.
   */
  private async run(reply: FastifyReply, accept: string | undefined, afterPost: boolean, decide: () => Promise<BrowserAnswer>): Promise<void> {
    try {
      send(reply, await decide(), afterPost);
    } catch (error) {
      if (error instanceof RedirectableError) return send(reply, { kind: 'redirect', location: error.location, cookies: [] }, afterPost);
      if (!(error instanceof OAuthError)) throw error;
      if (!(accept ?? '').includes('text/html')) throw error;
      const status = error.code === 'invalid_client' ? 400 : error.status;
      send(reply, { kind: 'page', status, html: errorPage(error.code, error.description), cookies: [] }, afterPost);
    }
  }
}
