/**
 * The OpenID Connect scopes (Core section 5.4): about the person, not an API. Any client that may
 * sign people in may ask for them, whatever its API scopes; they decide what the ID token and
 * userinfo tell, and `openid` is what userinfo requires of an access token.
 */
export const OIDC_SCOPES: readonly string[] = ['openid', 'profile', 'email'];
