import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings } from '@gatehouse/config';
import { KeyEncryption } from '@gatehouse/security';
import { GatewaySettings } from '../gateway.settings';
import { InternalKeyRing } from './internal-key-ring';
import { FileInternalKeyStore } from './internal-key-store';

const SECRET = 'a test secret of at least thirty-two characters';
const quiet = { warn: () => undefined, error: () => undefined };

describe('InternalKeyRing', () => {
  const HOUR = 3_600_000;
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'gatehouse-internal-keys-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  async function ring(env: Record<string, string> = {}, secret = SECRET, where = folder) {
    const { settings } = loadSettings(GatewaySettings, env);
    const keys = new InternalKeyRing(settings, new FileInternalKeyStore(where), new KeyEncryption(secret, { purpose: 'test' }), quiet);
    await keys.onModuleInit();
    keys.onApplicationShutdown();
    return keys;
  }
  const kids = (keys: InternalKeyRing) => keys.publicKeys().map((jwk) => jwk.kid);

  it('publishes a successor INTERNAL_KEY_PUBLISH_AHEAD before it signs, then retires the old key after the token lifetime', async () => {
    const keys = await ring({ INTERNAL_KEY_ROTATION_INTERVAL: '3600', INTERNAL_KEY_PUBLISH_AHEAD: '300', INTERNAL_TOKEN_TTL: '300' });
    const start = Date.now();
    const first = keys.signingKey(start).kid;
    expect(kids(keys)).toEqual([first]);

    await keys.sync(start + HOUR - 299_000);
    const published = kids(keys);
    expect(published).toHaveLength(2);
    expect(keys.signingKey(start + HOUR - 1_000).kid).toBe(first);
    const second = keys.signingKey(start + HOUR + 1_000).kid;
    expect(second).toBe(published[1]);

    await keys.sync(start + HOUR + 359_000);
    expect(kids(keys)).toEqual([first, second]);
    await keys.sync(start + HOUR + 361_000);
    expect(kids(keys)).toEqual([second]);
  });

  it('never signs with a key published less than the publish-ahead time ago, even after a long idle spell', async () => {
    const keys = await ring({ INTERNAL_KEY_ROTATION_INTERVAL: '3600', INTERNAL_KEY_PUBLISH_AHEAD: '300' });
    const start = Date.now();
    const first = keys.signingKey(start).kid;
    const late = start + 5 * HOUR;
    await keys.sync(late);
    expect(keys.signingKey(late).kid).toBe(first);
    expect(keys.signingKey(late + 299_000).kid).toBe(first);
    expect(keys.signingKey(late + 301_000).kid).not.toBe(first);
  });

  it('keeps one key when rotation is off, and publishes only public members', async () => {
    const keys = await ring({ INTERNAL_KEY_ROTATION_INTERVAL: '0' });
    await keys.sync(Date.now() + 1000 * HOUR);
    expect(keys.publicKeys()).toHaveLength(1);
    expect(Object.keys(keys.publicKeys()[0]).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });

  it('signs with the same key after a restart, and successors too', async () => {
    const before = await ring();
    const restarted = await ring();
    expect(restarted.signingKey().kid).toBe(before.signingKey().kid);
    await before.sync(Date.now() + 24 * HOUR);
    const again = await ring();
    expect(kids(again)).toEqual(kids(before));
  });

  it('gives replicas starting together on an empty store one and the same key', async () => {
    const replicas = await Promise.all([ring(), ring(), ring()]);
    expect(new Set(replicas.map((keys) => keys.signingKey().kid)).size).toBe(1);
    expect(readdirSync(folder)).toEqual(['0.json']);
  });

  it('keeps the private key sealed at rest, and refuses to start with another secret', async () => {
    const keys = await ring();
    const stored = JSON.parse(readFileSync(join(folder, '0.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(stored).sort()).toEqual(['activatesAt', 'generation', 'jwk', 'sealed']);
    expect(stored.sealed).toMatch(/^v1\./);
    expect(keys.signingKey().kid).toBe((stored.jwk as { kid: string }).kid);
    await expect(ring({}, 'another secret of at least thirty-two characters')).rejects.toThrow('authentication failed');
  });

  it('starts while its store cannot be read, signing with a key of its own, and stores that key first once it can', async () => {
    const store = join(folder, 'store');
    writeFileSync(store, 'not a folder');
    const keys = await ring({}, SECRET, store);
    const own = keys.signingKey().kid;
    expect(kids(keys)).toEqual([own]);
    rmSync(store);
    await keys.sync();
    expect(kids(keys)).toEqual([own]);
    expect(readdirSync(store)).toEqual(['0.json']);
    expect((await ring({}, SECRET, store)).signingKey().kid).toBe(own);
  });
});
