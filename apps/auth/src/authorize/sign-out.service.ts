import { Injectable } from '@nestjs/common';
import { OAuthError } from '@gatehouse/contracts';
import { AuthSettings } from '../auth.settings';
import { ClientLookup } from '../clients/client-lookup';
import { KeyStore } from '../keys/key-store.service';
import { Sessions, sessionIdOf } from '../sessions/sessions.service';
import { RefreshTokens } from '../tokens/refresh-tokens.service';
import type { BrowserAnswer } from './browser-answer';
import { BrowserCookies, csrfMatches, newCsrfToken } from './browser-cookies';
import { readIdTokenHint } from './id-token-hint';
import { logoutConfirmationPage, signedOutPage } from './pages';

const PARAMETERS = ['id_token_hint', 'post_logout_redirect_uri', 'state', 'client_id'] as const;
type LogoutParameters = Partial<Record<(typeof PARAMETERS)[number], string>>;

function readLogoutParameters(source: Record<string, unknown>): LogoutParameters {
  const parameters: LogoutParameters = {};
  for (const name of PARAMETERS) {
    const value = source[name];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string' || value.length > 8192) throw new OAuthError('invalid_request', `The parameter ${name} must be given once.`);
    parameters[name] = value;
  }
  return parameters;
}

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends the browser's sign-in session
 * and what was issued under it, then returns to the client only at a post-logout redirect URI it
 * registered, matched exactly; anything unverifiable ends on the signed-out page instead.
 */
@Injectable()
export class SignOut {
  private readonly cookies: BrowserCookies;

  constructor(
    private readonly settings: AuthSettings,
    private readonly clients: ClientLookup,
    private readonly keys: KeyStore,
    private readonly sessions: Sessions,
    private readonly refreshTokens: RefreshTokens,
  ) {
    this.cookies = new BrowserCookies(settings.AUTH_ISSUER.startsWith('https://'));
  }

  async logout(source: Record<string, unknown>, cookieHeader: string | string[] | undefined): Promise<BrowserAnswer> {
    const parameters = readLogoutParameters(source);
    const issuer = this.settings.AUTH_ISSUER.replace(/\/$/, '');
    const hint = parameters.id_token_hint ? await readIdTokenHint(parameters.id_token_hint, this.keys, issuer) : undefined;
    if (parameters.id_token_hint && !hint) throw new OAuthError('invalid_request', 'The id_token_hint is not an ID token of this server.');
    if (hint && parameters.client_id && hint.clientId !== parameters.client_id)
      throw new OAuthError('invalid_request', 'client_id does not match the id_token_hint.');
    const location = await this.returnTo(parameters, hint?.clientId ?? parameters.client_id);
    const secret = this.cookies.read(cookieHeader, this.cookies.sso);
    // Without an ID token of this server, the request may come from any site (a link, an image, a
    // form): the person confirms, on a form only this origin can fill (the CSRF double submit).
    if (!hint && secret && !this.confirmed(source, cookieHeader)) return this.confirmation(parameters, cookieHeader, location);
    const sids = new Set([...(secret ? [sessionIdOf(secret)] : []), ...(hint?.sid ? [hint.sid] : [])]);
    for (const sid of sids) await this.endSignIn(sid);
    const cookies = [this.cookies.clear(this.cookies.sso)];
    if (location) return { kind: 'redirect', location, cookies };
    return { kind: 'page', status: 200, html: signedOutPage(), cookies };
  }

  private confirmed(source: Record<string, unknown>, cookieHeader: string | string[] | undefined): boolean {
    return source.confirm === 'yes' && csrfMatches(this.cookies.read(cookieHeader, this.cookies.csrf), source.csrf);
  }

  private confirmation(parameters: LogoutParameters, cookieHeader: string | string[] | undefined, location: string | undefined): BrowserAnswer {
    const kept = this.cookies.read(cookieHeader, this.cookies.csrf);
    const csrf = kept && /^[A-Za-z0-9_-]{43}$/.test(kept) ? kept : newCsrfToken();
    return {
      kind: 'page',
      status: 200,
      html: logoutConfirmationPage({ csrf, parameters }),
      cookies: csrf === kept ? [] : [this.cookies.set(this.cookies.csrf, csrf)],
      // The form's post may end in a redirect to the client's registered URI.
      formTargets: location ? [new URL(location).origin] : [],
    };
  }

  /**
   * The one place a sign-in session ends with everything issued under it: the session, then the
   * refresh-token families (and their access tokens) its codes started. A revocation event for the
   * session belongs here too.
   */
  private async endSignIn(sid: string): Promise<void> {
    await this.sessions.endById(sid);
    await this.refreshTokens.revokeSession(sid);
  }

  /** The post-logout redirect URI with `state`, verified before anything ends; undefined when none was asked. */
  private async returnTo(parameters: LogoutParameters, clientId: string | undefined): Promise<string | undefined> {
    const uri = parameters.post_logout_redirect_uri;
    if (!uri) return undefined;
    if (!clientId) throw new OAuthError('invalid_request', 'post_logout_redirect_uri needs id_token_hint or client_id.');
    const client = await this.clients.find(clientId);
    if (!client || client.status !== 'active' || !client.postLogoutRedirectUris.includes(uri)) {
      throw new OAuthError('invalid_request', 'The post_logout_redirect_uri is not registered for this client.');
    }
    const url = new URL(uri);
    if (parameters.state !== undefined) url.searchParams.set('state', parameters.state);
    return url.toString();
  }
}
