import { createHash, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { RedisConnection } from '@gatehouse/persistence';
import { GatewaySettings } from '../gateway.settings';

export interface InternalPublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

interface InternalKey {
  kid: string;
  privateKey: KeyObject;
  jwk: InternalPublicJwk;
  /** Milliseconds since the epoch from which this key signs. */
  activatesAt: number;
}

// Under REDIS_KEY_PREFIX, like every key.
const REDIS_KEY = 'gateway:internal-jwks';
/** A published key stays listed this long after its gateway last re-announced it. */
const ANNOUNCE_TTL_MS = 10 * 60_000;
const ANNOUNCE_EVERY_MS = 60_000;

function newKey(activatesAt: number): InternalKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x, y } = publicKey.export({ format: 'jwk' }) as JsonWebKey & { x: string; y: string };
  // RFC 7638 thumbprint: members in lexicographic order, no whitespace.
  const kid = createHash('sha256').update(JSON.stringify({ crv: 'P-256', kty: 'EC', x, y })).digest('base64url');
  return { kid, privateKey, activatesAt, jwk: { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' } };
}

/**
 * The gateway's own ES256 keys for internal tokens (DESIGN.md section 3). Private keys never
 * leave the process. A successor key is created and published `INTERNAL_KEY_PUBLISH_AHEAD`
 * before it starts signing, and a retired key stays published until every token it signed has
 * expired. With Redis, every gateway instance announces its public keys there, so
 * `/.well-known/internal-jwks.json` lists the keys of all instances whichever one answers.
 */
@Injectable()
export class InternalKeyRing implements OnModuleInit, OnApplicationShutdown {
  private keys: InternalKey[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: GatewaySettings,
    private readonly redis: RedisConnection,
  ) {}

  async onModuleInit(): Promise<void> {
    // The first key signs at once: services meet its kid as unknown and refetch (DESIGN.md 4).
    this.keys = [newKey(Date.now())];
    await this.announce();
    this.timer = setInterval(() => void this.announce(), ANNOUNCE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The key that signs now; rotates first when due. */
  signingKey(now = Date.now()): { kid: string; privateKey: KeyObject } {
    this.maintain(now);
    let active = this.keys[0];
    for (const key of this.keys) if (key.activatesAt <= now) active = key;
    return active;
  }

  /** This instance's public keys: retired ones still in use, the signing one, a published successor. */
  ownKeys(now = Date.now()): InternalPublicJwk[] {
    this.maintain(now);
    return this.keys.map((key) => key.jwk);
  }

  /** Public keys of every gateway instance (from Redis when configured), this one's first. */
  async publishedKeys(): Promise<InternalPublicJwk[]> {
    const own = this.ownKeys();
    const client = this.redis.client;
    if (!client || client.status !== 'ready') return own;
    const listed = await client.hgetall(REDIS_KEY).catch(() => ({}));
    const now = Date.now();
    const others = Object.values(listed)
      .map((value) => JSON.parse(value) as { jwk: InternalPublicJwk; until: number })
      .filter((entry) => entry.until > now && !own.some((key) => key.kid === entry.jwk.kid))
      .map((entry) => entry.jwk);
    return [...own, ...others];
  }

  private maintain(now: number): void {
    const { INTERNAL_KEY_ROTATION_INTERVAL: interval, INTERNAL_KEY_PUBLISH_AHEAD: ahead, INTERNAL_TOKEN_TTL: ttl } = this.settings;
    if (interval === 0) return;
    const newest = this.keys[this.keys.length - 1];
    const successorDueAt = newest.activatesAt + interval * 1000;
    if (newest.activatesAt <= now && now >= successorDueAt - ahead * 1000) {
      this.keys.push(newKey(Math.max(successorDueAt, now + ahead * 1000)));
      void this.announce();
    }
    // A key retires once its successor has signed longer than any token it signed can live.
    while (this.keys.length > 1 && this.keys[1].activatesAt + (ttl + 60) * 1000 <= now) this.keys.shift();
  }

  private async announce(): Promise<void> {
    const client = this.redis.client;
    if (!client || client.status !== 'ready') return;
    const now = Date.now();
    const until = now + ANNOUNCE_TTL_MS;
    const listed = await client.hgetall(REDIS_KEY).catch(() => ({}));
    const expired = Object.entries(listed).filter(([, value]) => (JSON.parse(value) as { until: number }).until <= now).map(([kid]) => kid);
    if (expired.length > 0) await client.hdel(REDIS_KEY, ...expired).catch(() => undefined);
    const entries = this.keys.flatMap((key) => [key.kid, JSON.stringify({ jwk: key.jwk, until })]);
    await client.hset(REDIS_KEY, ...entries).catch(() => undefined);
    await client.expire(REDIS_KEY, ANNOUNCE_TTL_MS / 1000).catch(() => undefined);
  }
}
