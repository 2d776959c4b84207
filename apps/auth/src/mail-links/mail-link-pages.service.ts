import { Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import { isEmail } from 'class-validator';
import { AuthSettings } from '../auth.settings';
import type { BrowserAnswer } from '../authorize/browser-answer';
import { BrowserCookies, csrfMatches, newCsrfToken } from '../authorize/browser-cookies';
import { EmailVerification } from './email-verification.service';
import { LINK_TOKEN_SHAPE, linkTokenHash } from './link-token';
import { AccountLinks } from './account-links.repository';
import { emailVerifiedPage, forgotPage, invalidLinkPage, mailSentPage, passwordChangedPage, resetPage, verifyPage } from './mail-link-pages';
import { PasswordReset } from './password-reset.service';

type Source = Record<string, unknown>;
type CookieHeader = string | string[] | undefined;

const TENANT = /^[a-z0-9][a-z0-9-]{0,62}$/;
const EXPIRED_FORM = 'This form has expired. Please try again.';
const text = (value: unknown, max: number): string | undefined => (typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined);
const token = (value: unknown): string | undefined => (typeof value === 'string' && LINK_TOKEN_SHAPE.test(value) ? value : undefined);

/**
 * The browser side of mail links: forgot-password, reset and verification pages, each form
 * guarded by the sign-in pages' CSRF double submit. A page opened from a mail never uses the link
 * on GET (mail scanners open links); the person's form post does.
 */
@Injectable()
export class MailLinkPages {
  private readonly cookies: BrowserCookies;

  constructor(
    settings: AuthSettings,
    private readonly reset: PasswordReset,
    private readonly verification: EmailVerification,
    private readonly links: AccountLinks,
  ) {
    this.cookies = new BrowserCookies(settings.AUTH_ISSUER.startsWith('https://'));
  }

  forgotForm(query: Source, cookie: CookieHeader, hostTenant?: string): BrowserAnswer {
    const tenant = hostTenant ?? (typeof query.tenant === 'string' && TENANT.test(query.tenant) ? query.tenant : undefined);
    return this.page(cookie, (csrf) => forgotPage({ csrf, tenant }));
  }

  async forgotSubmit(form: Source, cookie: CookieHeader, ip: string, hostTenant?: string): Promise<BrowserAnswer> {
    const tenant = hostTenant ?? text(form.tenant, 63);
    const email = text(form.email, 254);
    const again = (status: number, error: string, headers?: Record<string, string>) =>
      this.page(cookie, (csrf) => forgotPage({ csrf, tenant, email, error }), status, headers);
    if (!this.csrfHolds(cookie, form)) return again(403, EXPIRED_FORM);
    if (!tenant || !TENANT.test(tenant)) return again(400, 'Enter your organisation.');
    if (!email || !isEmail(email)) return again(400, 'Enter your email address.');
    try {
      await this.reset.forgot({ tenant, email }, ip);
    } catch (error) {
      const wait = rateLimitWait(error);
      if (wait) return again(429, `Too many requests. Please wait ${wait} seconds, then try again.`, { 'retry-after': wait });
      throw error;
    }
    return this.page(cookie, () => mailSentPage());
  }

  async resetForm(query: Source, cookie: CookieHeader): Promise<BrowserAnswer> {
    const presented = token(query.token);
    if (!presented || !(await this.links.findUsable('password_reset', linkTokenHash(presented), new Date()))) return this.invalid('reset');
    return this.page(cookie, (csrf) => resetPage({ csrf, token: presented }));
  }

  async resetSubmit(form: Source, cookie: CookieHeader, ip: string): Promise<BrowserAnswer> {
    const presented = token(form.token);
    if (!presented) return this.invalid('reset');
    const again = (status: number, error: string) => this.page(cookie, (csrf) => resetPage({ csrf, token: presented, error }), status);
    if (!this.csrfHolds(cookie, form)) return again(403, EXPIRED_FORM);
    const password = text(form.password, 1024);
    if (!password) return again(400, 'Enter a new password.');
    if (form.confirmation !== password) return again(400, 'The two passwords differ.');
    try {
      await this.reset.reset({ token: presented, password }, ip);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid_link') return this.invalid('reset');
      if (error instanceof DomainError && error.code === 'invalid_request' && error.publicMessage) return again(400, error.publicMessage);
      throw error;
    }
    return this.page(cookie, () => passwordChangedPage());
  }

  async verifyForm(query: Source, cookie: CookieHeader): Promise<BrowserAnswer> {
    const presented = token(query.token);
    if (!presented || !(await this.links.findUsable('email_verification', linkTokenHash(presented), new Date()))) return this.invalid('verification');
    return this.page(cookie, (csrf) => verifyPage({ csrf, token: presented }));
  }

  async verifySubmit(form: Source, cookie: CookieHeader, ip: string): Promise<BrowserAnswer> {
    const presented = token(form.token);
    if (!presented) return this.invalid('verification');
    if (!this.csrfHolds(cookie, form)) return this.page(cookie, (csrf) => verifyPage({ csrf, token: presented, error: EXPIRED_FORM }), 403);
    try {
      await this.verification.verify({ token: presented }, ip);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid_link') return this.invalid('verification');
      throw error;
    }
    return this.page(cookie, () => emailVerifiedPage());
  }

  /** A page whose form carries the browser's CSRF token when it has a well-formed one, else a new one (set). */
  private page(cookie: CookieHeader, render: (csrf: string) => string, status = 200, headers?: Record<string, string>): BrowserAnswer {
    const existing = this.cookies.read(cookie, this.cookies.csrf);
    const csrf = existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : newCsrfToken();
    const cookies = csrf === existing ? [] : [this.cookies.set(this.cookies.csrf, csrf)];
    return { kind: 'page', status, html: render(csrf), cookies, headers };
  }

  private invalid(kind: 'reset' | 'verification'): BrowserAnswer {
    return { kind: 'page', status: 400, html: invalidLinkPage(kind), cookies: [] };
  }

  private csrfHolds(cookie: CookieHeader, form: Source): boolean {
    return csrfMatches(this.cookies.read(cookie, this.cookies.csrf), form.csrf);
  }
}

function rateLimitWait(error: unknown): string | undefined {
  return error instanceof DomainError && error.code === 'rate_limited' ? (error.headers['retry-after'] ?? '60') : undefined;
}
