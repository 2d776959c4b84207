import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 7636 section 4.1 and 4.2: 43 to 128 unreserved characters; S256 challenges are 43. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export const isS256Challenge = (challenge: string): boolean => S256_CHALLENGE.test(challenge);

/**
 * check-pkce: the verifier hashes to the challenge the authorization request carried (S256 only:
 * `plain` would send the secret itself through the browser). Compared in constant time.
 */
export function pkceMatches(verifier: string | undefined, challenge: string): boolean {
  if (verifier === undefined || !VERIFIER.test(verifier) || !isS256Challenge(challenge)) return false;
  const computed = createHash('sha256').update(verifier, 'ascii').digest();
  const expected = Buffer.from(challenge, 'base64url');
  return expected.length === computed.length && timingSafeEqual(computed, expected);
}
