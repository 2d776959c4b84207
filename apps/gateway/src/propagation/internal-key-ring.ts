import { createHash, createPrivateKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Logger } from '@gatehouse/observability';
import type { KeyEncryption } from '@gatehouse/security';
import type { GatewaySettings } from '../gateway.settings';
import type { InternalKeyStore, InternalPublicJwk, StoredInternalKey } from './internal-key-store';

export type { InternalPublicJwk } from './internal-key-store';

interface InternalKey extends StoredInternalKey {
  privateKey: KeyObject;
}

/** The store is read again before a JWKS answer older than this, and in the background at this pace. */
const JWKS_FRESHNESS_MS = 1_000;
const SYNC_EVERY_MS = 10_000;

function newKey(generation: number, activatesAt: number, sealer: KeyEncryption): InternalKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x, y } = publicKey.export({ format: 'jwk' }) as JsonWebKey & { x: string; y: string };
  // RFC 7638 thumbprint: members in lexicographic order, no whitespace.
  const kid = createHash('sha256')
    .update(JSON.stringify({ crv: 'P-256', kty: 'EC', x, y }))
    .digest('base64url');
  const sealed = sealer.encrypt(kid, privateKey.export({ format: 'der', type: 'pkcs8' }));
  return { generation, privateKey, activatesAt, sealed, jwk: { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' } };
}

/**
 * The gateway's ES256 keys for internal tokens, shared by every replica and kept across restarts
 * in an `InternalKeyStore` (Redis when configured, else the gateway's data folder), the private
 * keys sealed at rest. A restart or a new replica signs with the key the services already know.
 * A successor is stored `INTERNAL_KEY_PUBLISH_AHEAD` before it signs, so every replica's JWKS lists
 * it first; a retired key stays published until every token it signed has expired. The first key of
 * an empty store signs at once: no service can know a key older than the store.
 */
export class InternalKeyRing implements OnModuleInit, OnApplicationShutdown {
  private keys: InternalKey[] = [];
  /** A key made while the store could not be reached: signs until the store's keys are known. */
  private unstored: InternalKey | undefined;
  private syncedAt = Number.NEGATIVE_INFINITY;
  private syncing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly unreadable = new Set<string>();
  /** Said once per outage, not at every sync. */
  private storeDown = false;

  constructor(
    private readonly settings: GatewaySettings,
    private readonly store: InternalKeyStore,
    private readonly sealer: KeyEncryption,
    private readonly logger: Pick<Logger, 'warn' | 'error'>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.sync(Date.now(), { starting: true });
    this.timer = setInterval(() => void this.sync(), SYNC_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The key that signs now: the newest stored key already active (published ahead). */
  signingKey(now = Date.now()): { kid: string; privateKey: KeyObject } {
    let active = this.keys[0] ?? this.unstored;
    for (const key of this.keys) if (key.activatesAt <= now) active = key;
    if (!active) throw new Error('no internal signing key: the ring was not started');
    return { kid: active.jwk.kid, privateKey: active.privateKey };
  }

  /** Public keys held now: retired ones still in use, the signing one, a published successor. */
  publicKeys(): InternalPublicJwk[] {
    const keys = this.unstored && !this.keys.some((key) => key.jwk.kid === this.unstored?.jwk.kid) ? [...this.keys, this.unstored] : this.keys;
    return keys.map((key) => key.jwk);
  }

  /** What the JWKS serves: the store as read at most a second ago, so a fresh key is never missing. */
  async publishedKeys(): Promise<InternalPublicJwk[]> {
    if (Date.now() - this.syncedAt > JWKS_FRESHNESS_MS) await this.sync();
    return this.publicKeys();
  }

  /** Reads the store, adds a successor when one is due, and forgets retired keys; one at a time. */
  sync(now = Date.now(), { starting = false } = {}): Promise<void> {
    this.syncing ??= this.syncOnce(now, starting).finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async syncOnce(now: number, starting: boolean): Promise<void> {
    try {
      let keys = await this.read(starting);
      const due = this.successorDue(keys, now);
      if (due) {
        // Replicas may race for a generation: the first claim wins, and everyone reads the winner.
        // A key already signing without the store goes in as the first one, so its tokens stay valid.
        const candidate = this.unstored && keys.length === 0 ? this.unstored : newKey(due.generation, due.activatesAt, this.sealer);
        await this.store.claim(candidate);
        keys = await this.read(starting);
      }
      const retired = this.retired(keys, now);
      if (retired.length > 0) await this.store.remove(retired.map((key) => key.generation));
      this.keys = keys.filter((key) => !retired.includes(key));
      this.syncedAt = Date.now();
      this.storeDown = false;
    } catch (error) {
      if (starting && error instanceof Error && error.name === 'KeyDecryptionError') throw error;
      // The store is unreachable: keep signing with what is held; a first start makes a key of its own.
      if (this.keys.length === 0 && !this.unstored) this.unstored = newKey(0, now, this.sealer);
      if (this.storeDown) return;
      this.storeDown = true;
      this.logger.warn(
        { store: this.store.where, reason: error instanceof Error ? error.message : String(error) },
        'internal keys: the key store cannot be read; signing with the keys held',
      );
    }
  }

  /** The store's keys by generation, opened; a key that cannot be opened refuses a start and is skipped later. */
  private async read(starting: boolean): Promise<InternalKey[]> {
    const held = new Map(this.keys.map((key) => [key.jwk.kid, key]));
    const stored = (await this.store.list()).sort((a, b) => a.generation - b.generation);
    return stored.flatMap((key) => {
      const known = held.get(key.jwk.kid);
      if (known) return [known];
      try {
        const der = this.sealer.decrypt(key.jwk.kid, key.sealed);
        return [{ ...key, privateKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) }];
      } catch (error) {
        if (starting) throw error;
        if (!this.unreadable.has(key.jwk.kid))
          this.logger.error({ kid: key.jwk.kid, reason: (error as Error).message }, 'internal keys: a stored key cannot be opened');
        this.unreadable.add(key.jwk.kid);
        return [];
      }
    });
  }

  /** The generation and start of the key to add now, if any: the first one, or a rotation's successor. */
  private successorDue(keys: readonly InternalKey[], now: number): { generation: number; activatesAt: number } | undefined {
    const { INTERNAL_KEY_ROTATION_INTERVAL: interval, INTERNAL_KEY_PUBLISH_AHEAD: ahead } = this.settings;
    const newest = keys[keys.length - 1];
    if (!newest) return { generation: 0, activatesAt: this.unstored?.activatesAt ?? now };
    if (interval === 0 || newest.activatesAt > now) return undefined;
    const successorDueAt = newest.activatesAt + interval * 1000;
    if (now < successorDueAt - ahead * 1000) return undefined;
    // Never signs before it was published for the whole publish-ahead time, even after an idle spell.
    return { generation: newest.generation + 1, activatesAt: Math.max(successorDueAt, now + ahead * 1000) };
  }

  /** A key retires once its successor has signed longer than any token it signed can live. */
  private retired(keys: readonly InternalKey[], now: number): InternalKey[] {
    const lifetimeMs = (this.settings.INTERNAL_TOKEN_TTL + 60) * 1000;
    return keys.filter((_, index) => index + 1 < keys.length && keys[index + 1].activatesAt + lifetimeMs <= now);
  }
}
