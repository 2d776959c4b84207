import { type KeyObject, sign } from 'node:crypto';
import type { SigningAlg } from './signing-alg';

// The digest and signature encoding each algorithm takes (RFC 7518 section 3, RFC 8037): JOSE
// wants ECDSA signatures as r || s, node:crypto gives DER unless told otherwise.
const SIGN_WITH: Record<SigningAlg, { digest: string | null; dsaEncoding?: 'ieee-p1363' }> = {
  RS256: { digest: 'sha256' },
  ES256: { digest: 'sha256', dsaEncoding: 'ieee-p1363' },
  EdDSA: { digest: null },
};

const segment = (value: object) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/**
 * A JWS in compact serialization (RFC 7515 section 7.1), signed by node:crypto on the libuv pool:
 * one native job per token, where a WebCrypto signer adds key import checks, promise hops and
 * copies around the same RSA or curve operation.
 */
export function signCompactJws(header: { alg: SigningAlg } & Record<string, unknown>, payload: object, key: KeyObject): Promise<string> {
  const input = `${segment(header)}.${segment(payload)}`;
  const { digest, dsaEncoding } = SIGN_WITH[header.alg];
  return new Promise((resolve, reject) => {
    sign(digest, Buffer.from(input, 'latin1'), dsaEncoding ? { key, dsaEncoding } : key, (error, signature) => {
      if (error) reject(error);
      else resolve(`${input}.${signature.toString('base64url')}`);
    });
  });
}
