import { verify } from 'node:crypto';
import type { JwksKey, JwsAlg } from '@gatehouse/jwks';

// The digest and signature encoding each algorithm takes (RFC 7518 section 3, RFC 8037): JOSE
// carries ECDSA signatures as r || s, node:crypto reads DER unless told otherwise.
const VERIFY_WITH: Record<JwsAlg, { digest: string | null; dsaEncoding?: 'ieee-p1363' }> = {
  RS256: { digest: 'sha256' },
  ES256: { digest: 'sha256', dsaEncoding: 'ieee-p1363' },
  EdDSA: { digest: null },
};

/**
 * The signature of a compact JWS over its first two segments, with node:crypto on the calling
 * thread (a pool hop costs more than an RS256 verification). `key.alg` is the algorithm: the
 * caller has already checked that the header says the same.
 */
export function verifySignature(token: string, key: JwksKey): boolean {
  const dot = token.lastIndexOf('.');
  const { digest, dsaEncoding } = VERIFY_WITH[key.alg];
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  const data = Buffer.from(token.slice(0, dot), 'latin1');
  try {
    return verify(digest, data, dsaEncoding ? { key: key.key, dsaEncoding } : key.key, signature);
  } catch {
    // A key of another type, a malformed signature: not verified, never a 500.
    return false;
  }
}
