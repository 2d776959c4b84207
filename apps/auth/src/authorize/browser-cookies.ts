import { randomBytes, timingSafeEqual } from 'node:crypto';
import { cookieValues } from '../sessions/session-cookie';

/**
 * The sign-in pages' cookies. On an https issuer they carry the `__Host-` prefix: Secure, Path=/,
 * no Domain, so no sibling subdomain can set or overwrite them (what makes the double-submitted
 * CSRF token sound). On plain http (development) the browser refuses the prefix, so it is dropped.
 */
export class BrowserCookies {
  readonly sso: string;
  readonly csrf: string;

  constructor(private readonly secure: boolean) {
    const prefix = secure ? '__Host-' : '';
    this.sso = `${prefix}gh_sso`;
    this.csrf = `${prefix}gh_csrf`;
  }

  /** HttpOnly, SameSite=Lax (sent on the top-level redirect from a client, never on a cross-site post), Path=/. */
  set(name: string, value: string): string {
    return `${name}=${value}; HttpOnly; SameSite=Lax; Path=/${this.secure ? '; Secure' : ''}`;
  }

  clear(name: string): string {
    return `${name}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0${this.secure ? '; Secure' : ''}`;
  }

  /** The single value of `name` in a Cookie header; none when absent or given twice. */
  read(header: string | string[] | undefined, name: string): string | undefined {
    const values = typeof header === 'string' ? cookieValues(header, name) : [];
    return values.length === 1 ? values[0] : undefined;
  }
}

/** A fresh CSRF token: 256 random bits, set in the CSRF cookie and in a hidden field of the form. */
export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Double submit: the form's token must equal the cookie's. A cross-site page can make the browser
 * post the form, but can neither read the cookie nor (with `__Host-`) set it, so it cannot know
 * the value to put in the field. Compared in constant time.
 */
export function csrfMatches(cookie: string | undefined, field: unknown): boolean {
  if (!cookie || typeof field !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(cookie)) return false;
  const a = Buffer.from(cookie);
  const b = Buffer.from(field);
  return a.length === b.length && timingSafeEqual(a, b);
}
