import { type KeyObject, sign } from 'node:crypto';

/** The signature algorithms Gatehouse issues tokens with. */
export type JwsAlg = 'RS256' | 'ES256' | 'EdDSA';

export interface JwsHeader {
  alg: JwsAlg;
  [member: string]: unknown;
}

// The digest and signature encoding each algorithm takes (RFC 7518 section 3, RFC 8037): JOSE
// wants ECDSA signatures as r || s, node:crypto gives DER unless told otherwise.
const SIGN_WITH: Record<JwsAlg, { digest: string | null; dsaEncoding?: 'ieee-p1363' }> = {
  RS256: { digest: 'sha256' },
  ES256: { digest: 'sha256', dsaEncoding: 'ieee-p1363' },
  EdDSA: { digest: null },
};

const segment = (value: object) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

function prepare(header: JwsHeader, payload: object, key: KeyObject) {
  const input = `${segment(header)}.${segment(payload)}`;
  const { digest, dsaEncoding } = SIGN_WITH[header.alg];
  return { input, digest, data: Buffer.from(input, 'latin1'), key: dsaEncoding ? { key, dsaEncoding } : key };
}

/**
 * A JWS in compact serialization (RFC 7515 section 7.1), signed by node:crypto on the libuv pool:
 * one native job per token, the event loop free meanwhile. For RSA, whose signature costs
 * hundreds of microseconds, this is the one to use.
 */
export function signCompactJws(header: JwsHeader, payload: object, key: KeyObject): Promise<string> {
  const { input, digest, data, key: signingKey } = prepare(header, payload, key);
  return new Promise((resolve, reject) => {
    sign(digest, data, signingKey, (error, signature) => {
      if (error) reject(error);
      else resolve(`${input}.${signature.toString('base64url')}`);
    });
  });
}

/** The same, on the calling thread: for curve keys on a hot path, where a pool hop costs more than the signature. */
export function signCompactJwsSync(header: JwsHeader, payload: object, key: KeyObject): string {
  const { input, digest, data, key: signingKey } = prepare(header, payload, key);
  return `${input}.${sign(digest, data, signingKey).toString('base64url')}`;
}
