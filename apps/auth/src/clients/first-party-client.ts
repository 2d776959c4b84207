/**
 * The auth app's own client, behind `POST /auth/login`: public (no secret, so it cannot use
 * client_credentials), first-party, password and refresh_token. It exists in every deployment.
 */
export const FIRST_PARTY_CLIENT_ID = 'gatehouse';
export const FIRST_PARTY_DEFAULT_SCOPES = ['profile'];
