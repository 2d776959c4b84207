import type { Expectation } from './case';

// The answers of the gateway's error contract (RFC 6750 section 3 for the challenges).
export const TOKEN_REFUSED: Expectation = {
  label: '401 invalid_token',
  statuses: [401],
  errors: ['invalid_token', 'token_expired', 'unknown_signing_key', 'invalid_claims'],
  challenge: 'invalid_token',
};

export const CLAIMS_REFUSED: Expectation = { ...TOKEN_REFUSED, label: '401 invalid_claims | token_expired' };

export const REQUEST_REFUSED: Expectation = { label: '400 invalid_request', statuses: [400], errors: ['invalid_request'], challenge: 'invalid_request' };

/** A credential that is not a compact JWS at all may be refused as a malformed request too. */
export const MALFORMED_REFUSED: Expectation = {
  label: '401 invalid_token | 400 invalid_request',
  statuses: [400, 401],
  errors: [...(TOKEN_REFUSED.errors ?? []), 'invalid_request'],
};

export const NO_TOKEN: Expectation = { label: '401 missing_token', statuses: [401], errors: ['missing_token'], challenge: 'bare' };

export const TENANT_MISMATCH: Expectation = { label: '403 tenant_mismatch', statuses: [403], errors: ['tenant_mismatch'] };

/** Accepted, as the valid token alone would be: the case's own check looks at what came through. */
export const ACCEPTED: Expectation = { label: '2xx, identity of the token', statuses: [200, 201, 202, 203, 204, 206] };
