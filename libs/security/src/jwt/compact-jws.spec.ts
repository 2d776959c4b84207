import { createVerify, generateKeyPairSync, type KeyObject, verify } from 'node:crypto';
import { type JwsAlg, signCompactJws, signCompactJwsSync } from './compact-jws';

// jose ships ES modules only; jest transforms it, tsc needs the import-mode type.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jose = require('jose') as typeof import('jose', { with: { 'resolution-mode': 'import' } });

const KEYS: Record<JwsAlg, { privateKey: KeyObject; publicKey: KeyObject }> = {
  RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  EdDSA: generateKeyPairSync('ed25519'),
};
const ALGS = Object.keys(KEYS) as JwsAlg[];
const SIGNERS = {
  'on the pool': signCompactJws,
  'on the calling thread': (...args: Parameters<typeof signCompactJwsSync>) => Promise.resolve(signCompactJwsSync(...args)),
};
const CASES = ALGS.flatMap((alg) => Object.entries(SIGNERS).map(([where, signer]) => [alg, where, signer] as const));

describe('compact JWS on node:crypto', () => {
  it.each(CASES)('%s %s: jose verifies the token, header and payload intact', async (alg, _, signer) => {
    const claims = { sub: 'u-1', roles: ['admin'], email: 'ünïcode@example.test', exp: Math.floor(Date.now() / 1000) + 60 };
    const token = await signer({ alg, typ: 'at+jwt', kid: 'k1' }, claims, KEYS[alg].privateKey);
    const verified = await jose.jwtVerify(token, KEYS[alg].publicKey, { algorithms: [alg], typ: 'at+jwt' });
    expect(verified.protectedHeader).toEqual({ alg, typ: 'at+jwt', kid: 'k1' });
    expect(verified.payload).toEqual(claims);
  });

  it.each(CASES)('%s %s: a changed payload no longer verifies', async (alg, _, signer) => {
    const token = await signer({ alg, kid: 'k1' }, { sub: 'u-1' }, KEYS[alg].privateKey);
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'u-2' })).toString('base64url')}.${signature}`;
    await expect(jose.jwtVerify(forged, KEYS[alg].publicKey, { algorithms: [alg] })).rejects.toThrow('signature verification failed');
  });

  it('ES256 signatures are r || s (64 bytes), not DER', async () => {
    const token = await signCompactJws({ alg: 'ES256', kid: 'k1' }, { sub: 'u-1' }, KEYS.ES256.privateKey);
    const [header, payload, signature] = token.split('.');
    const raw = Buffer.from(signature, 'base64url');
    expect(raw).toHaveLength(64);
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), { key: KEYS.ES256.publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
  });

  it('RS256 is RSASSA-PKCS1-v1_5 with SHA-256', async () => {
    const token = await signCompactJws({ alg: 'RS256', kid: 'k1' }, { sub: 'u-1' }, KEYS.RS256.privateKey);
    const [header, payload, signature] = token.split('.');
    const check = createVerify('RSA-SHA256').update(`${header}.${payload}`);
    expect(check.verify(KEYS.RS256.publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
  });
});
