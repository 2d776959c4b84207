/** Error codes of RFC 6749 section 5.2 (and RFC 7009 section 2.2.1) answered by OAuth endpoints. */
export const OAUTH_ERROR_STATUS = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  unsupported_token_type: 400,
  access_denied: 403,
  // Authorization endpoint (RFC 6749 section 4.1.2.1, OpenID Connect Core section 3.1.2.6): these
  // travel back on the redirect; the status only counts when shown before the redirect is trusted.
  unsupported_response_type: 400,
  login_required: 400,
  consent_required: 400,
  interaction_required: 400,
  // Bearer token errors of a protected resource (RFC 6750 section 3.1): userinfo.
  invalid_token: 401,
  insufficient_scope: 403,
  slow_down: 429,
  temporarily_unavailable: 503,
  server_error: 500,
} as const;

export type OAuthErrorCode = keyof typeof OAUTH_ERROR_STATUS;

/** The body of an OAuth error response (RFC 6749 section 5.2). */
export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description?: string;
}

/**
 * A refusal by an OAuth endpoint. `description` is sent to the client, so it stays generic where
 * detail would help an attacker (a wrong password and an unknown user read the same); `reason`
 * goes to the log only.
 */
export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description?: string,
    readonly reason?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(reason ?? description ?? code);
    this.name = 'OAuthError';
  }

  get status(): number {
    return OAUTH_ERROR_STATUS[this.code];
  }
}
