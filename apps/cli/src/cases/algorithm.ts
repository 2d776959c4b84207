import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Jwk, Probe, ScanCase, ScanContext } from '../case';
import { TOKEN_REFUSED } from '../expectations';
import { bearer, resigned, withHeader } from '../forge';
import { b64url } from '../jose';

const noneCase = (alg: string): ScanCase => ({
  id: `alg-${alg}`,
  title: `alg "${alg}", no signature`,
  source: 'RFC 8725 2.1 and 3.1, RFC 7518 3.6',
  probes: (context) => [{ headers: [bearer(withHeader(context, { alg }, ''))], expect: TOKEN_REFUSED, attacked: ['header.alg', 'signature'] }],
});

export const ALG_NONE: ScanCase[] = ['none', 'None', 'NONE', 'nOnE'].map(noneCase);

/** Every byte string a verifier might take as "the key" when told to use HMAC with a public key. */
export function publicKeyEncodings(jwk: Jwk): { name: string; secret: Buffer }[] {
  const key: KeyObject = createPublicKey({ key: jwk, format: 'jwk' });
  const pem = String(key.export({ type: 'spki', format: 'pem' }));
  const encodings = [
    { name: 'spki PEM', secret: Buffer.from(pem) },
    { name: 'spki PEM, no trailing newline', secret: Buffer.from(pem.trimEnd()) },
    { name: 'spki DER', secret: key.export({ type: 'spki', format: 'der' }) },
    { name: 'JWK JSON', secret: Buffer.from(JSON.stringify(jwk)) },
  ];
  if (jwk.kty === 'RSA') {
    encodings.push({ name: 'PKCS#1 PEM', secret: Buffer.from(String(key.export({ type: 'pkcs1', format: 'pem' }))) });
    encodings.push({ name: 'modulus bytes', secret: Buffer.from(String(jwk.n), 'base64url') });
  } else if (jwk.kty === 'EC') {
    encodings.push({
      name: 'uncompressed point',
      secret: Buffer.concat([Buffer.from([4]), Buffer.from(String(jwk.x), 'base64url'), Buffer.from(String(jwk.y), 'base64url')]),
    });
  } else if (jwk.kty === 'OKP') {
    encodings.push({ name: 'raw public key', secret: Buffer.from(String(jwk.x), 'base64url') });
  }
  return encodings;
}

const confusionCase = (alg: string): ScanCase => ({
  id: `hmac-key-confusion-${alg.toLowerCase()}`,
  title: `${alg} keyed with the target's public key`,
  source: 'RFC 8725 2.1 and 3.1, CVE-2016-10555',
  needs: ['jwks'],
  probes: (context) =>
    publicKeyEncodings(tokenKey(context)).map(({ name, secret }): Probe => ({
      variant: name,
      headers: [bearer(resigned(context, secret, { alg }))],
      expect: TOKEN_REFUSED,
      attacked: ['header.alg', 'signature'],
    })),
});

export const HMAC_KEY_CONFUSION: ScanCase[] = ['HS256', 'HS384', 'HS512'].map(confusionCase);

/** The key of the token's kid in the target's set (the first one when no kid matches). */
export function tokenKey(context: ScanContext): Jwk {
  return context.jwks.find((jwk) => jwk.kid === context.token.header.kid) ?? context.jwks[0];
}

export const PSYCHIC_SIGNATURE: ScanCase = {
  id: 'es256-psychic-signature',
  title: 'ES256 signature r = s = 0',
  source: 'CVE-2022-21449, RFC 8725 3.4',
  probes: (context) => [
    { headers: [bearer(withHeader(context, { alg: 'ES256' }, b64url(Buffer.alloc(64))))], expect: TOKEN_REFUSED, attacked: ['header.alg', 'signature'] },
  ],
};
