import { constants, createHmac, createPrivateKey, type KeyObject, sign } from 'node:crypto';

export type JsonObject = Record<string, unknown>;

/** A compact JWS cut into its three segments, decoded where they are JSON. */
export interface DecodedJws {
  header: JsonObject;
  payload: JsonObject;
  /** The segments exactly as received. */
  raw: [string, string, string];
}

export const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');
export const segment = (value: unknown): string => b64url(JSON.stringify(value));

export function decodeJws(token: string): DecodedJws {
  const raw = token.split('.');
  if (raw.length !== 3) throw new Error('the token is not a compact JWS (three dot-separated parts)');
  const json = (part: string, name: string): JsonObject => {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    } catch {
      throw new Error(`the token's ${name} is not base64url JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`the token's ${name} is not a JSON object`);
    return value as JsonObject;
  };
  return { header: json(raw[0], 'header'), payload: json(raw[1], 'payload'), raw: [raw[0], raw[1], raw[2]] };
}

// RFC 7518 section 3.1: the digest of each JWS algorithm, and how its key signs.
const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/** The signature of `input` under `alg` (HS*, RS*, PS*, ES*, EdDSA), in JWS byte form. */
export function signatureOf(alg: string, input: string, key: KeyObject | Buffer): Buffer {
  const data = Buffer.from(input, 'latin1');
  const family = alg.slice(0, 2);
  const digest = HASH[alg.slice(2)];
  if (family === 'HS' && digest) return createHmac(digest, key).update(data).digest();
  const asymmetric = Buffer.isBuffer(key) ? createPrivateKey(key) : key;
  if (alg === 'EdDSA') return sign(null, data, asymmetric);
  if (family === 'RS' && digest) return sign(digest, data, asymmetric);
  if (family === 'PS' && digest) return sign(digest, data, { key: asymmetric, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 });
  if (family === 'ES' && digest) return sign(digest, data, { key: asymmetric, dsaEncoding: 'ieee-p1363' });
  throw new Error(`cannot sign with alg ${alg}`);
}

/** A compact JWS of the given segments, signed as `alg` says with `key`. */
export function signCompact(headerSegment: string, payloadSegment: string, alg: string, key: KeyObject | Buffer): string {
  const input = `${headerSegment}.${payloadSegment}`;
  return `${input}.${b64url(signatureOf(alg, input, key))}`;
}
