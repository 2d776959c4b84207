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

// The password grant's words: a wrong password, an unknown user and a disabled account read alike.
const BAD_CREDENTIALS = 'The username or password is incorrect.';
const EXPIRED_FORM = 'This sign-in form has expired. Please try again.';

const text = (value: unknown, max: number): string | undefined => (typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined);
const originOf = (uri: string): string => {
  const url = new URL(uri);
  return url.origin === 'null' ? url.protocol : url.origin;
};

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

  /** A decision as the browser receives it; a page gets a fresh CSRF token in its form and cookie. */
  async answer(outcome: Outcome, cookies: string[] = [], status = 200, error?: string, headers?: Record<string, string>, username?: string): Promise<BrowserAnswer> {
    if (outcome.kind === 'redirect') return { kind: 'redirect', location: outcome.location, cookies };
    const csrf = newCsrfToken();
    const { request } = outcome;
    const tenantName = await this.tenantName(request.tenantId);
    const html =
      outcome.kind === 'login'
        ? loginPage({ tenantName, askTenant: request.tenantSource === undefined || request.tenantSource === 'parameter', username: username ?? request.loginHint, csrf, parameters: request.parameters, error: error ?? outcome.error })
        : consentPage({ tenantName, clientId: request.client.id, scopes: request.scope.split(' ').filter(Boolean), username: outcome.live.account.username, csrf, parameters: request.parameters });
    return { kind: 'page', status, html, headers, cookies: [...cookies, this.cookies.set(this.cookies.csrf, csrf)], formTargets: [originOf(request.redirectUri)] };
  }

  /** The login form: CSRF, then the password login with its limits, then the request goes on. */
  async login(form: Record<string, unknown>, cookieHeader: string | string[] | undefined, ip: string, hostTenant?: string): Promise<BrowserAnswer> {
    const request = await this.authorization.read(form, hostTenant);
    const retry = (status: number, error: string, headers?: Record<string, string>) => this.answer({ kind: 'login', request }, [], status, error, headers, text(form.username, 256));
    if (!csrfMatches(this.cookies.read(cookieHeader, this.cookies.csrf), form.csrf)) return retry(403, EXPIRED_FORM);
    const tenant = request.tenantId;
    const username = text(form.username, 256);
    const password = text(form.password, 1024);
    if (!tenant) return retry(400, 'Enter your organisation.');
    if (!username || !password) return retry(400, 'Enter your username and password.');
    try {
      const live = await this.sessions.open({ tenant, username, password }, ip);
      const sso = this.cookies.set(this.cookies.sso, live.secret);
      return this.answer(await this.authorization.decide(request, live, true), [sso]);
    } catch (error) {
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
    if (!csrfMatches(this.cookies.read(cookieHeader, this.cookies.csrf), form.csrf)) return this.answer({ kind: 'consent', request, live }, [], 403);
    if (form.decision !== 'allow') return this.answer(this.authorization.refuse(request, new OAuthError('access_denied', 'The person did not allow access.')));
    await this.consents.grant(live.account.tenantId, live.account.id, request.client.id, request.scope.split(' ').filter(Boolean));
    return this.answer(await this.authorization.issueCode(request, live));
  }

  /** The authorization request itself, by GET or POST. */
  async authorize(source: Record<string, unknown>, cookieHeader: string | string[] | undefined, hostTenant?: string): Promise<BrowserAnswer> {
    const request: AuthorizationRequest = await this.authorization.read(source, hostTenant);
    const live = await this.authorization.signedIn(request, this.cookies.read(cookieHeader, this.cookies.sso));
    return this.answer(await this.authorization.decide(request, live));
  }

  private async tenantName(tenantId: string | undefined): Promise<string | undefined> {
    if (!tenantId) return undefined;
    const tenant = await this.tenants.find(tenantId).catch(() => null);
    return tenant?.status === 'active' ? tenant.name : undefined;
  }
}
