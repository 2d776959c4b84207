import { createHash, randomBytes } from 'node:crypto';
import { http, type HttpResult } from './http';

/** The cookies a browser would keep for one origin: set by Set-Cookie, cleared by Max-Age=0. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(headers: Headers): this {
    for (const line of headers.getSetCookie()) {
      const [pair] = line.split(';', 1);
      const equals = pair.indexOf('=');
      const name = pair.slice(0, equals).trim();
      if (/;\s*max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(equals + 1));
    }
    return this;
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** A PKCE verifier and its S256 challenge (RFC 7636). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The hidden inputs of the first form of a page, as a browser would submit them. */
export function hiddenInputs(html: string): Record<string, string> {
  const unescape = (value: string) => value.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
  const fields: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[unescape(name)] = unescape(value);
  return fields;
}

/** GET with the jar's cookies, keeping what the answer sets; never follows a redirect. */
export async function browse(url: string, jar: CookieJar, accept = 'text/html'): Promise<HttpResult<string>> {
  const answer = await http<string>(url, { headers: { cookie: jar.header(), accept } });
  jar.store(answer.headers);
  return answer;
}

/** Submits a page's form (its hidden fields and `fields`) to `path` as a browser would. */
export async function submit(base: string, path: string, page: string, jar: CookieJar, fields: Record<string, string>): Promise<HttpResult<string>> {
  const answer = await http<string>(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header(), accept: 'text/html' },
    body: new URLSearchParams({ ...hiddenInputs(page), ...fields }).toString(),
  });
  jar.store(answer.headers);
  return answer;
}

/** The query of a redirect's Location. */
export function redirectParams(answer: HttpResult<unknown>): Record<string, string> {
  return Object.fromEntries(new URL(answer.headers.get('location') ?? 'invalid:').searchParams);
}
