import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { DataSource, EntityManager } from 'typeorm';
import { authApp } from '../apps/auth/src/auth.app';
import { KeyEncryption } from '../apps/auth/src/keys/key-encryption';
import { privateKeyToDer } from '../apps/auth/src/keys/key-material';
import { KeyStore } from '../apps/auth/src/keys/key-store.service';
import { KeysClock } from '../apps/auth/src/keys/keys-clock';
import { SIGNING_ALGS, type SigningAlg } from '../apps/auth/src/keys/signing-alg';
import { SigningKeyEntity } from '../apps/auth/src/keys/signing-key.entity';
import { eventually, http } from './support/http';
import { createTestEnv, freePort, REAL, type TestEnv } from './support/test-env';

// jose ships ES modules only; jest transforms it, tsc needs the import-mode type.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jose = require('jose') as typeof import('jose', { with: { 'resolution-mode': 'import' } });

type Jwk = Record<string, string>;
const SHAPE: Record<SigningAlg, { type: Jwk; members: string }> = {
  RS256: { type: { kty: 'RSA', e: 'AQAB' }, members: 'alg e kid kty n use' },
  ES256: { type: { kty: 'EC', crv: 'P-256' }, members: 'alg crv kid kty use x y' },
  EdDSA: { type: { kty: 'OKP', crv: 'Ed25519' }, members: 'alg crv kid kty use x' },
};
/** Short waits: a rotated key signs after 1 s; ACCESS_TOKEN_TTL is at its minimum. */
const FAST = { KEY_PUBLISH_AHEAD: '1', ACCESS_TOKEN_TTL: '30' };

const jwksOf = async (url: string) => (await http<{ keys: Jwk[] }>(`${url}/.well-known/jwks.json`)).body;
const kidsOf = async (url: string) => (await jwksOf(url)).keys.map((jwk) => jwk.kid);
const keysOf = (running: RunningApp) => running.app.get(KeyStore);
const clockOf = (running: RunningApp) => running.app.get(KeysClock);
const table = (running: RunningApp) => running.app.get(DataSource).getRepository(SigningKeyEntity);
const rowsOf = (running: RunningApp) => table(running).find({ order: { activatesAt: 'ASC' } });
const statesOf = async (running: RunningApp) => Object.fromEntries((await rowsOf(running)).map((row) => [row.kid, row.status]));

/** Auth on a fresh test env for the enclosing describe; a test may replace `running` (restart). */
function withAuth(overrides: Record<string, string>): { testEnv: TestEnv; running: RunningApp } {
  const context = {} as { testEnv: TestEnv; running: RunningApp };
  beforeAll(async () => {
    context.testEnv = await createTestEnv({ ...FAST, ...overrides });
    context.running = await startApp(authApp, { env: context.testEnv.env });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await context.running?.close();
    await context.testEnv?.cleanup();
  });
  return context;
}

/** Signs with the store's key, verifies with jose against the JWKS as served; answers the kid used. */
async function signAndVerify(running: RunningApp): Promise<string> {
  const key = await keysOf(running).signingKey();
  const token = await new jose.SignJWT({ sub: 'probe' })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
    .setExpirationTime('1m')
    .sign(key.privateKey);
  const keySet = jose.createLocalJWKSet(await jwksOf(running.url));
  const { protectedHeader } = await jose.jwtVerify(token, keySet, { algorithms: [key.alg], typ: 'at+jwt' });
  return String(protectedHeader.kid);
}

describe.each(SIGNING_ALGS)('signing keys with %s', (alg) => {
  const app = withAuth({ SIGNING_ALG: alg });

  it('stores the private key encrypted, never as PEM, DER or JWK in clear', async () => {
    const key = await keysOf(app.running).signingKey();
    const [row] = await rowsOf(app.running);
    const der = privateKeyToDer(key.privateKey);
    expect(row.kid).toBe(key.kid);
    expect(row.privateKey).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    const clear = ['base64', 'base64url', 'hex'].map((encoding) => der.subarray(0, 48).toString(encoding as BufferEncoding));
    for (const text of ['PRIVATE KEY', String(key.privateKey.export({ format: 'jwk' }).d), ...clear]) {
      expect(row.privateKey).not.toContain(text);
    }
    expect(app.running.app.get(KeyEncryption).decrypt(row.kid, row.privateKey).equals(der)).toBe(true);
    expect(statSync(join(app.testEnv.dataDir, 'auth', 'keys-encryption.secret')).mode & 0o777).toBe(0o600);
  });

  it('publishes exactly one key on first start, public members only, cacheable for a minute', async () => {
    const answer = await http<{ keys: Jwk[] }>(`${app.running.url}/.well-known/jwks.json`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=60');
    expect(answer.headers.get('content-type')).toBe('application/jwk-set+json; charset=utf-8');
    expect(answer.body.keys).toHaveLength(1);
    const [jwk] = answer.body.keys;
    expect(Object.keys(jwk).sort().join(' ')).toBe(SHAPE[alg].members); // so never d, p, q, dp, dq, qi
    expect(jwk).toMatchObject({ ...SHAPE[alg].type, alg, use: 'sig', kid: await jose.calculateJwkThumbprint(jwk) });
  });

  it('signs with a key the JWKS already publishes', async () => {
    const [published] = await kidsOf(app.running.url);
    expect(await signAndVerify(app.running)).toBe(published);
    expect((await keysOf(app.running).verificationKey(published))?.alg).toBe(alg);
    expect(await keysOf(app.running).verificationKey('no-such-kid')).toBeUndefined();
  });

  it('rotate() publishes the next key at once; it signs after KEY_PUBLISH_AHEAD, the old one stays published', async () => {
    const old = (await keysOf(app.running).signingKey()).kid;
    // Time stands still until "published, not yet signing" is checked.
    const frozen = jest.spyOn(clockOf(app.running), 'now').mockReturnValue(new Date());
    const { kid, activatesAt } = await keysOf(app.running).rotate();
    expect(activatesAt).toEqual(new Date(clockOf(app.running).now().getTime() + 1000));
    expect(await kidsOf(app.running.url)).toEqual([old, kid]);
    expect(await signAndVerify(app.running)).toBe(old);
    expect(await statesOf(app.running)).toEqual({ [old]: 'active', [kid]: 'next' });
    frozen.mockRestore();

    expect(await eventually(async () => (await keysOf(app.running).signingKey()).kid === kid, 10_000)).toBe(true);
    expect(await signAndVerify(app.running)).toBe(kid);
    expect(await kidsOf(app.running.url)).toEqual([kid, old]);
    expect(await statesOf(app.running)).toEqual({ [old]: 'retired', [kid]: 'active' });
    const retired = await table(app.running).findOneByOrFail({ kid: old });
    expect(retired.unpublishAt!.getTime() - retired.retiredAt!.getTime()).toBe((30 + 60) * 1000);
    expect((await keysOf(app.running).verificationKey(old))?.alg).toBe(alg);
  });

  it('unpublishes a retired key when every token it signed has expired, and deletes it', async () => {
    const [retired, active] = await rowsOf(app.running);
    const unpublishAt = retired.unpublishAt!.getTime();
    jest.spyOn(clockOf(app.running), 'now').mockReturnValue(new Date(unpublishAt - 1));
    expect(await kidsOf(app.running.url)).toEqual([active.kid, retired.kid]);
    jest.spyOn(clockOf(app.running), 'now').mockReturnValue(new Date(unpublishAt));
    expect(await kidsOf(app.running.url)).toEqual([active.kid]);
    expect(await keysOf(app.running).verificationKey(retired.kid)).toBeUndefined();
    expect(await statesOf(app.running)).toEqual({ [active.kid]: 'active' });
    jest.restoreAllMocks();
    expect(await signAndVerify(app.running)).toBe(active.kid);
  });

  it('refuses a restart under another KEYS_ENCRYPTION_SECRET; keeps the same keys under the same one', async () => {
    const [kids, rows] = [await kidsOf(app.running.url), await rowsOf(app.running)];
    await app.running.close();
    const wrong = startApp(authApp, { env: { ...app.testEnv.env, KEYS_ENCRYPTION_SECRET: 'w'.repeat(40) } });
    await expect(wrong).rejects.toThrow(/^Cannot decrypt the private signing key [\w-]{43}: authentication failed/);
    app.running = await startApp(authApp, { env: app.testEnv.env });
    expect(await kidsOf(app.running.url)).toEqual(kids);
    expect(await rowsOf(app.running)).toEqual(rows);
    expect(await signAndVerify(app.running)).toBe(kids[0]);
  });
});

describe('signing keys: automatic rotation, with KEYS_ENCRYPTION_SECRET set', () => {
  const app = withAuth({ SIGNING_ALG: 'EdDSA', KEY_ROTATION_INTERVAL: '2', KEYS_ENCRYPTION_SECRET: 's'.repeat(40) });

  it('refuses a rotation interval that does not exceed KEY_PUBLISH_AHEAD', async () => {
    const attempt = startApp(authApp, { env: { ...app.testEnv.env, KEY_ROTATION_INTERVAL: '1' } });
    await expect(attempt).rejects.toThrow('KEY_ROTATION_INTERVAL must be 0 or longer than KEY_PUBLISH_AHEAD');
  });

  it('generates no development secret file when the secret is set', () => {
    expect(existsSync(join(app.testEnv.dataDir, 'auth', 'keys-encryption.secret'))).toBe(false);
  });

  it('publishes a next key once the interval is up, which then signs', async () => {
    const { running } = app;
    const first = (await keysOf(running).signingKey()).kid;
    expect(await eventually(async () => (await kidsOf(running.url)).length > 1, 15_000)).toBe(true);
    expect(await eventually(async () => (await signAndVerify(running)) !== first, 15_000)).toBe(true);
    expect((await rowsOf(running)).filter((row) => row.status === 'active')).toHaveLength(1);
  });
});

(REAL.postgres ? describe : describe.skip)('signing keys: two instances on one PostgreSQL database', () => {
  let testEnv: TestEnv;
  let a: RunningApp;
  let b: RunningApp;
  beforeAll(async () => {
    testEnv = await createTestEnv({ ...FAST, SIGNING_ALG: 'ES256' });
    // One after the other: the app's bootstrap seeding is not what this suite is about.
    a = await startApp(authApp, { env: testEnv.env });
    b = await startApp(authApp, { env: { ...testEnv.env, AUTH_PORT: String(await freePort()) } });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    for (const instance of [a, b]) await instance?.close();
    await testEnv.cleanup();
  });

  it('the second instance to start uses the key of the first', async () => {
    const { kid } = await keysOf(a).signingKey();
    expect((await keysOf(b).signingKey()).kid).toBe(kid);
    expect(await statesOf(a)).toEqual({ [kid]: 'active' });
  });

  it('waits for another instance mid-transition and adopts its key rather than create a second one', async () => {
    await table(a).deleteAll();
    // A finds no key and is held just before its insert, inside its transaction; then B looks.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const insertReached = new Promise<void>((reached) => {
      const insert = EntityManager.prototype.insert;
      jest.spyOn(EntityManager.prototype, 'insert').mockImplementationOnce(async function (this: EntityManager, ...args) {
        reached();
        await released;
        return insert.apply(this, args);
      });
    });
    const later = new Date(Date.now() + 10_000);
    for (const instance of [a, b]) jest.spyOn(clockOf(instance), 'now').mockReturnValue(later);
    try {
      const fromA = keysOf(a).signingKey();
      await insertReached;
      const fromB = keysOf(b).signingKey();
      const locks = `SELECT 1 FROM pg_locks WHERE NOT granted AND relation = '"${testEnv.schemaPrefix}auth"."signing_keys"'::regclass`;
      const bWaits = async () => (await a.app.get(DataSource).query<unknown[]>(locks)).length === 1;
      expect(await eventually(bWaits, 10_000)).toBe(true);
      release();
      const { kid } = await fromA;
      expect((await fromB).kid).toBe(kid);
      expect(await statesOf(b)).toEqual({ [kid]: 'active' });
    } finally {
      release();
      jest.restoreAllMocks();
    }
  });

  it('promotes a rotated key once, whichever instance gets there first', async () => {
    const first = (await keysOf(a).signingKey()).kid;
    const { kid } = await keysOf(a).rotate();
    expect(await eventually(async () => (await kidsOf(b.url)).includes(kid), 10_000)).toBe(true);
    for (const instance of [a, b]) {
      expect(await eventually(async () => (await signAndVerify(instance)) === kid, 15_000)).toBe(true);
    }
    expect(await statesOf(b)).toEqual({ [first]: 'retired', [kid]: 'active' });
  });
});
