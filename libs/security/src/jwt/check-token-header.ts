import { DomainError } from '@gatehouse/contracts';
import type { JwsAlg } from '@gatehouse/jwks';

export interface TokenHeader {
  alg: JwsAlg;
  kid: string;
}

/**
 * check-token-header: the JOSE header of a token, read before any key is looked up. `alg` must be
 * in the verifier's allow-list (the token never chooses), `typ` must be the expected one (`at+jwt`
 * for access tokens, RFC 9068 section 4; `gh-internal+jwt` for internal tokens; a tenant's own
 * identity provider may also say `jwt`), `crit` is refused
 * (no extension is understood), and `kid` is required. `jku`, `x5u`, `x5c` and `jwk` are ignored:
 * a key comes only from the issuer's JWKS.
 */
export function checkTokenHeader(token: string, allowed: readonly JwsAlg[], expectedTyp: string | readonly string[]): TokenHeader {
  const parts = token.split('.');
  if (!isCanonicalCompact(parts)) throw invalid('not canonical base64url');
  return headerOf(segment(parts, 0), allowed, expectedTyp);
}

export interface DecodedToken {
  header: TokenHeader;
  /** The unverified claims: read once here, trusted only once the signature verifies. */
  payload: Record<string, unknown>;
}

/**
 * check-token-header, and the payload parsed in the same pass: a token is decoded once. `payload`,
 * when the caller has already read it (unverifiedPayload, to choose the issuer), is not parsed again.
 */
export function decodeToken(
  token: string,
  allowed: readonly JwsAlg[],
  expectedTyp: string | readonly string[],
  payload?: Record<string, unknown>,
): DecodedToken {
  const parts = token.split('.');
  if (!isCanonicalCompact(parts)) throw invalid('not canonical base64url');
  const header = headerOf(segment(parts, 0), allowed, expectedTyp);
  return { header, payload: payload ?? segment(parts, 1) };
}

function headerOf(header: Record<string, unknown>, allowed: readonly JwsAlg[], expectedTyp: string | readonly string[]): TokenHeader {
  const { alg, typ, kid, crit } = header;
  if (typeof alg !== 'string' || !(allowed as readonly string[]).includes(alg)) throw invalid(`alg ${String(alg).slice(0, 20)} not allowed`);
  const media = typeof typ === 'string' ? typ.toLowerCase().replace(/^application\//, '') : '';
  const expected = typeof expectedTyp === 'string' ? [expectedTyp] : expectedTyp;
  if (!expected.includes(media)) throw invalid(`typ ${String(typ).slice(0, 40)} is not ${expected.join(' or ')}`);
  if (crit !== undefined) throw invalid('crit header present');
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 256) throw invalid('kid missing');
  return { alg: alg as JwsAlg, kid };
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
// The bits an unpadded base64url text's last character carries beyond the last whole byte, by the
// text's length modulo 4 (1 is never a valid length).
const SPARE_BITS: Record<number, number> = { 0: 0, 2: 0b1111, 3: 0b11 };
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Whether every part of a compact JWS is canonical base64url (RFC 7515 section 2, RFC 4648
 * section 3.5): its alphabet only, no padding, and no bit set past the last whole byte. Node's
 * decoder ignores those bits and stray characters, so without this check one token would have many
 * spellings that verify alike: the header and payload are signed as text, but the signature is not,
 * and a deny-list or cache keyed on the token text would see each spelling as another token.
 */
function isCanonicalCompact(parts: readonly string[]): boolean {
  if (parts.length !== 3) return true; // left to segment(), which says what is wrong
  return parts.every((part) => {
    const spare = SPARE_BITS[part.length % 4];
    if (spare === undefined || !BASE64URL.test(part)) return false;
    return spare === 0 || (ALPHABET.indexOf(part[part.length - 1]) & spare) === 0;
  });
}

/** The unverified `iss`, only to choose whose keys may verify the token. */
export function unverifiedIssuer(token: string): unknown {
  return unverifiedPayload(token).iss;
}

/** The unverified claims, read once to choose the verifier, then handed to it. */
export function unverifiedPayload(token: string): Record<string, unknown> {
  return segment(token.split('.'), 1);
}

function segment(parts: readonly string[], index: 0 | 1): Record<string, unknown> {
  if (parts.length !== 3) throw invalid('not a compact JWS');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(parts[index], 'base64url').toString('utf8'));
  } catch {
    throw invalid(`segment ${index} is not base64url JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`segment ${index} is not a JSON object`);
  return value as Record<string, unknown>;
}

function invalid(reason: string): DomainError {
  return new DomainError('invalid_token', reason);
}
