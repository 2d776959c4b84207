import { Injectable } from '@nestjs/common';
import { DomainError, OAuthError } from '@gatehouse/contracts';
import { AuthSettings } from '../auth.settings';
import { Sessions } from '../sessions/sessions.service';
import { TenantLookup } from '../tenants/tenant-lookup';
import { Authorization, type Outcome } from './authorization.service';
import type { AuthorizationRequest } from './authorization-request';
import type { BrowserAnswer } from './browser-answer';
import { BrowserCookies, csrfMatches, newCsrfToken } from './browser-cookies';
import { Consents } from './consents.service';
import { consentPage, loginPage } from './pages';
import { UNVERIFIED_EMAIL, UnverifiedEmail } from '../mail-links/check-email-verified';

// The password grant's words: a wrong password, an unknown user and a disabled account read alike.
const BAD_CREDENTIALS = 'The username or password is incorrect.';
const EXPIRED_FORM = 'This sign-in form has expired. Please try again.';

/** What a page adds to a decision: cookies to set, its status and error, and the CSRF token to keep. */
interface PageExtras {
  cookies?: string[];
  status?: number;
  error?: string;
  headers?: Record<string, string>;
  username?: string;
  /** The browser's CSRF token, already checked or well-formed: kept instead of a new one. */
  csrf?: string;
}

const text = (value: unknown, max: number): string | undefined => (typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined);
const originOf = (uri: string): string => {
  const url = new URL(uri);
  return url.origin === 'null' ? url.protocol : url.origin;
};

/** A password accepted, a second step awaited (see SignInSecondStep). */
export interface PendingAnswer {
  kind: 'pending';
  request: AuthorizationRequest;
  awaiting: 'code' | 'enrol';
  token: string;
  csrf: string;
}

/** The sign-in pages: the login form and the consent form, each guarded by a CSRF token. */
@Injectable()
export class SignIn {
  readonly cookies: BrowserCookies;

  constructor(
    settings: AuthSettings,
    private readonly authorization: Authorization,
    private readonly sessions: Sessions,
    private readonly consents: Consents,
    private readonly tenants: TenantLookup,
  ) {
    this.cookies = new BrowserCookies(settings.AUTH_ISSUER.startsWith('https://'));
  }

  /**
   * A decision as the browser receives it. A page's form carries the CSRF token of the browser's
   * cookie when it has a well-formed one (so sign-in pages open in several tabs all stay valid),
   * else a fresh one, set in the cookie.
   */
  async answer(outcome: Outcome, extras: PageExtras = {}): Promise<BrowserAnswer> {
    const cookies = extras.cookies ?? [];
    if (outcome.kind === 'redirect') return { kind: 'redirect', location: outcome.location, cookies };
    const csrf = extras.csrf ?? newCsrfToken();
    if (csrf !== extras.csrf) cookies.push(this.cookies.set(this.cookies.csrf, csrf));
    const { request } = outcome;
    const tenantName = await this.tenantName(request.tenantId);
    const parameters = request.parameters;
    const html =
      outcome.kind === 'login'
        ? loginPage({
            tenantName,
            tenantId: request.tenantId,
            askTenant: request.tenantSource === undefined || request.tenantSource === 'parameter',
            username: extras.username ?? request.loginHint,
            csrf,
            parameters,
            error: extras.error,
          })
        : consentPage({
            tenantName,
            clientId: request.client.id,
            scopes: request.scope.split(' ').filter(Boolean),
            username: outcome.live.account.username,
            csrf,
            parameters,
          });
    return { kind: 'page', status: extras.status ?? 200, html, headers: extras.headers, cookies, formTargets: [originOf(request.redirectUri)] };
  }

  /** The login form: CSRF, then the password login with its limits, then the request goes on. */
  async login(
    form: Record<string, unknown>,
    cookieHeader: string | string[] | undefined,
    ip: string,
    hostTenant?: string,
    userAgent?: string,
  ): Promise<BrowserAnswer | PendingAnswer> {
    const request = await this.authorization.read(form, hostTenant);
    const csrf = this.cookies.read(cookieHeader, this.cookies.csrf);
    const username = text(form.username, 256);
    if (!csrfMatches(csrf, form.csrf)) return this.answer({ kind: 'login', request }, { status: 403, error: EXPIRED_FORM, username });
    const retry = (status: number, error: string, headers?: Record<string, string>) =>
      this.answer({ kind: 'login', request }, { status, error, headers, username, csrf });
    const tenant = request.tenantId;
    const password = text(form.password, 1024);
    if (!tenant) return retry(400, 'Enter your organisation.');
    if (!username || !password) return retry(400, 'Enter your username and password.');
    try {
      const device = this.sessions.deviceCookie.read(cookieHeader);
      const live = await this.sessions.open({ tenant, username, password }, ip, { userAgent, device }, request.requireMfa);
      if ('awaiting' in live) return { kind: 'pending', request, awaiting: live.awaiting, token: live.token, csrf: csrf! };
      const cookies = [this.cookies.set(this.cookies.sso, live.secret), this.sessions.deviceCookie.set(live.device)];
      return this.answer(await this.authorization.decide(request, live, true), { cookies, csrf });
    } catch (error) {
      if (error instanceof UnverifiedEmail) return retry(403, UNVERIFIED_EMAIL);
      if (error instanceof OAuthError && (error.code === 'invalid_grant' || error.code === 'invalid_request')) return retry(401, BAD_CREDENTIALS);
      if (error instanceof DomainError && error.code === 'rate_limited') {
        const wait = error.headers['retry-after'] ?? '60';
        return retry(429, `Too many sign-in attempts. Please wait ${wait} seconds, then try again.`, { 'retry-after': wait });
      }
      throw error;
    }
  }

  /** The consent form: allowed scopes are remembered and a code issued; a refusal is `access_denied`. */
  async consent(form: Record<string, unknown>, cookieHeader: string | string[] | undefined, hostTenant?: string): Promise<BrowserAnswer> {
    const request = await this.authorization.read(form, hostTenant);
    const live = await this.authorization.signedIn(request, this.cookies.read(cookieHeader, this.cookies.sso));
    if (!live) return this.answer({ kind: 'login', request });
    const csrf = this.cookies.read(cookieHeader, this.cookies.csrf);
    if (!csrfMatches(csrf, form.csrf)) return this.answer({ kind: 'consent', request, live }, { status: 403 });
    if (form.decision !== 'allow') return this.answer(this.authorization.refuse(request, new OAuthError('access_denied', 'The person did not allow access.')));
    await this.consents.grant(live.account.tenantId, live.account.id, request.client.id, request.scope.split(' ').filter(Boolean));
    return this.answer(await this.authorization.issueCode(request, live));
  }

  /** The authorization request itself, by GET or POST. */
  async authorize(source: Record<string, unknown>, cookieHeader: string | string[] | undefined, hostTenant?: string): Promise<BrowserAnswer> {
    const request: AuthorizationRequest = await this.authorization.read(source, hostTenant);
    const live = await this.authorization.signedIn(request, this.cookies.read(cookieHeader, this.cookies.sso));
    return this.answer(await this.authorization.decide(request, live), { csrf: this.reusableCsrf(cookieHeader) });
  }

  private reusableCsrf(cookieHeader: string | string[] | undefined): string | undefined {
    const value = this.cookies.read(cookieHeader, this.cookies.csrf);
    return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
  }

  private async tenantName(tenantId: string | undefined): Promise<string | undefined> {
    if (!tenantId) return undefined;
    const tenant = await this.tenants.find(tenantId).catch(() => null);
    return tenant?.status === 'active' ? tenant.name : undefined;
  }
}
