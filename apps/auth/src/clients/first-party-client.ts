/**
 * The auth app's own client, behind `POST /auth/login`: public (no secret, so it cannot use
 * client_credentials), first-party, password and refresh_token. It exists in every deployment.
 */
export const FIRST_PARTY_CLIENT_ID = 'gatehouse';
export const FIRST_PARTY_DEFAULT_SCOPES = ['profile'];

/**
 * The public client of the gateway's API docs (Swagger UI's Authorize, authorization code with
 * PKCE): it returns to `<issuer>/docs/oauth2-redirect.html` and calls the token endpoint from the
 * issuer's origin, so it follows `AUTH_ISSUER` at every start.
 */
export const DOCS_CLIENT_ID = 'gatehouse-docs';

export function docsClientUris(issuer: string): { redirectUri: string; origin: string } {
  const base = issuer.replace(/\/$/, '');
  return { redirectUri: `${base}/docs/oauth2-redirect.html`, origin: new URL(base).origin };
}
