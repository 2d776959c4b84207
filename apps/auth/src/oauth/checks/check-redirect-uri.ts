const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|\[::1\])(:\d{1,5})?(\/|$)/;

/** The same URI with its port taken out; only applied to loopback http URIs. */
const withoutPort = (uri: string) => uri.replace(/^(http:\/\/(?:127\.0\.0\.1|\[::1\])):\d{1,5}/, '$1');

/**
 * check-redirect-uri: the redirect URI a request names, if it is exactly one the client registered
 * (RFC 9700 section 2.1: exact string comparison, no prefix, no normalisation). The one exception
 * is RFC 8252 section 7.3: a native app listening on a loopback address gets a port from the
 * system, so for `http://127.0.0.1` and `http://[::1]` any port matches. `localhost` gets no such
 * exception: a name can resolve elsewhere.
 */
export function matchRedirectUri(registered: readonly string[], presented: string): string | undefined {
  if (registered.includes(presented)) return presented;
  if (!LOOPBACK_HTTP.test(presented)) return undefined;
  const bare = withoutPort(presented);
  return registered.some((uri) => LOOPBACK_HTTP.test(uri) && withoutPort(uri) === bare) ? presented : undefined;
}
