/**
 * The session cookie as the auth app writes and reads it. HttpOnly keeps it from scripts,
 * SameSite=Lax from cross-site posts, Path=/ sends it to every route of the public origin, and
 * Secure is set whenever that origin is https. No Max-Age: the browser drops it when it closes,
 * and the server enforces the lifetimes whatever the browser keeps.
 */
export function sessionCookie(name: string, secret: string, secure: boolean): string {
  return `${name}=${secret}; HttpOnly; SameSite=Lax; Path=/${secure ? '; Secure' : ''}`;
}

/** The same cookie, emptied and expired at once (logout). */
export function clearedSessionCookie(name: string, secure: boolean): string {
  return `${name}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0${secure ? '; Secure' : ''}`;
}

/**
 * Every value the Cookie header gives `name` (RFC 6265 section 5.4: `name=value` pairs joined by
 * `; `). Several are possible when cookies were set for several paths or domains.
 */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals > 0 && pair.slice(0, equals).trim() === name) values.push(pair.slice(equals + 1).trim());
  }
  return values;
}
