import { generateKeyPairSync } from 'node:crypto';
import { generateSigningKey, jwkThumbprint, materialFromPrivateKey, privateKeyFromDer, privateKeyToDer } from './key-material';
import { SIGNING_ALGS } from './signing-alg';

// jose ships ES modules only; jest transforms it, tsc needs the import-mode type.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jose = require('jose') as typeof import('jose', { with: { 'resolution-mode': 'import' } });

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

describe('signing key material', () => {
  it.each([
    ['RS256', 'an EC key', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey],
    ['RS256', 'a 1024-bit RSA key', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey],
    ['ES256', 'a P-384 key', generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey],
    ['EdDSA', 'an Ed448 key', generateKeyPairSync('ed448').privateKey],
  ] as const)('refuses to use %s with %s', (alg, _, key) => {
    expect(() => materialFromPrivateKey(alg, key, 'k1')).toThrow(`the key k1 does not fit ${alg}`);
  });

  it('computes the RFC 7638 example thumbprint (section 3.1)', () => {
    const n =
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-' +
      '5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qN' +
      'Lyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';
    expect(jwkThumbprint({ kty: 'RSA', e: 'AQAB', n, alg: 'RS256', kid: 'ignored' })).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it.each([
    ['RS256', 'RSA', ['kty', 'kid', 'alg', 'use', 'n', 'e']],
    ['ES256', 'EC', ['kty', 'kid', 'alg', 'use', 'crv', 'x', 'y']],
    ['EdDSA', 'OKP', ['kty', 'kid', 'alg', 'use', 'crv', 'x']],
  ] as const)('generates %s keys: %s, public members only, kid = thumbprint', async (alg, kty, members) => {
    const material = await generateSigningKey(alg);
    expect(Object.keys(material.publicJwk).sort()).toEqual([...members].sort());
    expect(material.publicJwk).toMatchObject({ kty, alg, use: 'sig', kid: material.kid });
    for (const member of PRIVATE_MEMBERS) expect(material.publicJwk).not.toHaveProperty(member);
    expect(material.kid).toBe(await jose.calculateJwkThumbprint(material.publicJwk, 'sha256'));
    const reopened = materialFromPrivateKey(alg, privateKeyFromDer(privateKeyToDer(material.privateKey)), material.kid);
    expect(reopened.publicJwk).toEqual(material.publicJwk);
  });

  it('covers every configured algorithm', () => {
    expect(SIGNING_ALGS).toEqual(['RS256', 'ES256', 'EdDSA']);
  });
});
