/**
 * Stable error codes of the platform. Clients match on these strings, so a
 * code is never renamed; the HTTP status of each lives next to it so every app maps them the same way.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_otp: 400,
  tenant_not_identified: 400,
  invalid_link: 400,
  missing_token: 401,
  invalid_token: 401,
  token_expired: 401,
  unknown_signing_key: 401,
  invalid_claims: 401,
  inactive_token: 401,
  session_expired: 401,
  insufficient_user_authentication: 401,
  insufficient_scope: 403,
  forbidden: 403,
  tenant_suspended: 403,
  tenant_mismatch: 403,
  route_not_found: 404,
  tenant_not_found: 404,
  not_found: 404,
  request_timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  headers_too_large: 431,
  rate_limited: 429,
  internal_error: 500,
  upstream_unavailable: 503,
  auth_unavailable: 503,
  service_unavailable: 503,
  upstream_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Generic, client-safe text per code: the precise reason goes to the log, never to the caller. */
export const ERROR_MESSAGE: Record<ErrorCode, string> = {
  invalid_request: 'The request is malformed or missing a required parameter.',
  invalid_otp: 'The one-time code is wrong, expired or already used.',
  tenant_not_identified: 'The tenant of this request could not be identified.',
  invalid_link: 'The link is invalid, expired or already used.',
  missing_token: 'Authentication is required.',
  invalid_token: 'The access token is invalid.',
  token_expired: 'The access token has expired.',
  unknown_signing_key: 'The access token is signed with an unknown key.',
  invalid_claims: 'The access token claims are not acceptable.',
  inactive_token: 'The access token is not active.',
  session_expired: 'The session has expired.',
  insufficient_user_authentication: 'A stronger or more recent authentication is required.',
  insufficient_scope: 'The access token does not grant the required scope.',
  forbidden: 'Access to this resource is forbidden.',
  tenant_suspended: 'The tenant is suspended.',
  tenant_mismatch: 'The token does not belong to this tenant.',
  route_not_found: 'No route matches this request.',
  tenant_not_found: 'The tenant does not exist.',
  not_found: 'The resource does not exist.',
  request_timeout: 'The request was not received in time.',
  conflict: 'The request conflicts with the current state of the resource.',
  payload_too_large: 'The request body is too large.',
  uri_too_long: 'The request URI is too long.',
  unsupported_media_type: 'The request content type is not supported.',
  headers_too_large: 'The request headers are too large.',
  rate_limited: 'Too many requests.',
  internal_error: 'An internal error occurred.',
  upstream_unavailable: 'The upstream service is unavailable.',
  auth_unavailable: 'The authentication service is unavailable.',
  service_unavailable: 'A dependency of this service is unavailable.',
  upstream_timeout: 'The upstream service did not answer in time.',
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value);
}

/** The JSON body of every non-OAuth error answered by the gateway and the services. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
  requestId: string;
}

/**
 * A failure the domain knows about. It carries a stable code and, separately, the reason for the
 * log; each app maps it to HTTP or RPC in exactly one place.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly reason?: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /** A client-safe explanation replacing the generic message, for input the client can fix. */
    readonly publicMessage?: string,
  ) {
    super(reason ?? code);
    this.name = 'DomainError';
  }
}
