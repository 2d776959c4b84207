import { createVerify, verify } from 'node:crypto';
import { signCompactJws } from './compact-jws';
import { generateSigningKey } from './key-material';
import { SIGNING_ALGS } from './signing-alg';

// jose ships ES modules only; jest transforms it, tsc needs the import-mode type.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jose = require('jose') as typeof import('jose', { with: { 'resolution-mode': 'import' } });

describe('compact JWS on node:crypto', () => {
  it.each(SIGNING_ALGS)('%s: jose verifies the token, header and payload intact', async (alg) => {
    const key = await generateSigningKey(alg);
    const claims = { sub: 'u-1', roles: ['admin'], email: 'ünïcode@example.test', exp: Math.floor(Date.now() / 1000) + 60 };
    const token = await signCompactJws({ alg, typ: 'at+jwt', kid: key.kid }, claims, key.privateKey);
    const verified = await jose.jwtVerify(token, key.publicKey, { algorithms: [alg], typ: 'at+jwt' });
    expect(verified.protectedHeader).toEqual({ alg, typ: 'at+jwt', kid: key.kid });
    expect(verified.payload).toEqual(claims);
  });

  it.each(SIGNING_ALGS)('%s: a changed payload no longer verifies', async (alg) => {
    const key = await generateSigningKey(alg);
    const token = await signCompactJws({ alg, kid: key.kid }, { sub: 'u-1' }, key.privateKey);
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'u-2' })).toString('base64url')}.${signature}`;
    await expect(jose.jwtVerify(forged, key.publicKey, { algorithms: [alg] })).rejects.toThrow('signature verification failed');
  });

  it('ES256 signatures are r || s (64 bytes), not DER', async () => {
    const key = await generateSigningKey('ES256');
    const token = await signCompactJws({ alg: 'ES256', kid: key.kid }, { sub: 'u-1' }, key.privateKey);
    const [header, payload, signature] = token.split('.');
    const raw = Buffer.from(signature, 'base64url');
    expect(raw).toHaveLength(64);
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
  });

  it('RS256 is RSASSA-PKCS1-v1_5 with SHA-256', async () => {
    const key = await generateSigningKey('RS256');
    const token = await signCompactJws({ alg: 'RS256', kid: key.kid }, { sub: 'u-1' }, key.privateKey);
    const [header, payload, signature] = token.split('.');
    const check = createVerify('RSA-SHA256').update(`${header}.${payload}`);
    expect(check.verify(key.publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
  });
});
