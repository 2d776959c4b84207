import { loadSettings } from '@gatehouse/config';
import type { RedisConnection } from '@gatehouse/persistence';
import { GatewaySettings } from '../gateway.settings';
import { InternalKeyRing } from './internal-key-ring';

// The in-memory default: no Redis configured, so keys are this instance's only.
const noRedis = { client: null } as unknown as RedisConnection;

describe('InternalKeyRing', () => {
  const HOUR = 3_600_000;
  async function ring(env: Record<string, string>) {
    const { settings } = loadSettings(GatewaySettings, env);
    const keys = new InternalKeyRing(settings, noRedis);
    await keys.onModuleInit();
    keys.onApplicationShutdown();
    return keys;
  }

  it('publishes a successor INTERNAL_KEY_PUBLISH_AHEAD before it signs, then retires the old key after the token lifetime', async () => {
    const keys = await ring({ INTERNAL_KEY_ROTATION_INTERVAL: '3600', INTERNAL_KEY_PUBLISH_AHEAD: '300', INTERNAL_TOKEN_TTL: '300' });
    const start = Date.now();
    const first = keys.signingKey(start).kid;
    expect(keys.ownKeys(start).map((jwk) => jwk.kid)).toEqual([first]);

    const published = keys.ownKeys(start + HOUR - 299_000).map((jwk) => jwk.kid);
    expect(published).toHaveLength(2);
    expect(keys.signingKey(start + HOUR - 1_000).kid).toBe(first);
    const second = keys.signingKey(start + HOUR + 1_000).kid;
    expect(second).toBe(published[1]);

    expect(keys.ownKeys(start + HOUR + 359_000).map((jwk) => jwk.kid)).toEqual([first, second]);
    expect(keys.ownKeys(start + HOUR + 361_000).map((jwk) => jwk.kid)).toEqual([second]);
  });

  it('never signs with a key published less than the publish-ahead time ago, even after a long idle spell', async () => {
    const keys = await ring({ INTERNAL_KEY_ROTATION_INTERVAL: '3600', INTERNAL_KEY_PUBLISH_AHEAD: '300' });
    const start = Date.now();
    const first = keys.signingKey(start).kid;
    const late = start + 5 * HOUR;
    expect(keys.signingKey(late).kid).toBe(first);
    expect(keys.signingKey(late + 299_000).kid).toBe(first);
    expect(keys.signingKey(late + 301_000).kid).not.toBe(first);
  });

  it('keeps one key when rotation is off, and publishes only public members', async () => {
    const keys = await ring({ INTERNAL_KEY_ROTATION_INTERVAL: '0' });
    const [jwk] = keys.ownKeys(Date.now() + 1000 * HOUR);
    expect(keys.ownKeys(Date.now() + 1000 * HOUR)).toHaveLength(1);
    expect(Object.keys(jwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });
});
