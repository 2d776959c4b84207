import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RedisConnection } from '@gatehouse/persistence';
import { createFileOnce } from '@gatehouse/security';

export interface InternalPublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

/** One internal key as every gateway replica shares it; the private key only sealed. */
export interface StoredInternalKey {
  /** 0, 1, 2...: a successor takes the next number, and only one replica can claim a number. */
  generation: number;
  jwk: InternalPublicJwk;
  /** The PKCS#8 private key, sealed with the internal-keys encryption secret (kid as AAD). */
  sealed: string;
  /** Milliseconds since the epoch from which this key signs. */
  activatesAt: number;
}

/** Where the replicas of one deployment keep their internal keys. Every method may reject. */
export interface InternalKeyStore {
  /** Named in logs. */
  readonly where: string;
  list(): Promise<StoredInternalKey[]>;
  /** Stores `key` unless its generation is already taken; answers whether this call stored it. */
  claim(key: StoredInternalKey): Promise<boolean>;
  remove(generations: readonly number[]): Promise<void>;
}

function parse(text: string): StoredInternalKey | undefined {
  try {
    const key = JSON.parse(text) as StoredInternalKey;
    const valid = Number.isInteger(key.generation) && typeof key.sealed === 'string' && typeof key.jwk?.kid === 'string' && Number.isFinite(key.activatesAt);
    return valid ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Only the stored members: a caller's richer object (with an opened private key) never reaches the store. */
function serialize({ generation, jwk, sealed, activatesAt }: StoredInternalKey): string {
  return JSON.stringify({ generation, jwk, sealed, activatesAt });
}

// Under REDIS_KEY_PREFIX, like every key.
const REDIS_KEY = 'gateway:internal-keys';

/** Shared by every replica that shares the Redis; HSETNX makes a claim atomic. */
export class RedisInternalKeyStore implements InternalKeyStore {
  readonly where = 'Redis';

  constructor(private readonly redis: RedisConnection) {}

  async list(): Promise<StoredInternalKey[]> {
    const stored = await this.client().hgetall(REDIS_KEY);
    return Object.values(stored).flatMap((text) => parse(text) ?? []);
  }

  async claim(key: StoredInternalKey): Promise<boolean> {
    return (await this.client().hsetnx(REDIS_KEY, String(key.generation), serialize(key))) === 1;
  }

  async remove(generations: readonly number[]): Promise<void> {
    if (generations.length > 0) await this.client().hdel(REDIS_KEY, ...generations.map(String));
  }

  private client() {
    const client = this.redis.client;
    if (!client || client.status !== 'ready') throw new Error('Redis is not connected');
    return client;
  }
}

const FILE = /^(\d{1,9})\.json$/;

/**
 * One file per generation in the gateway's data folder, for a single gateway or replicas sharing
 * the folder; a file is linked into place, so the first claim of a generation wins.
 */
export class FileInternalKeyStore implements InternalKeyStore {
  constructor(private readonly folder: string) {}

  get where(): string {
    return this.folder;
  }

  async list(): Promise<StoredInternalKey[]> {
    const names = await readdir(this.folder).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
    const keys = await Promise.all(
      names.filter((name) => FILE.test(name)).map((name) => readFile(join(this.folder, name), 'utf8').then(parse, () => undefined)),
    );
    return keys.flatMap((key) => key ?? []);
  }

  claim(key: StoredInternalKey): Promise<boolean> {
    return Promise.resolve().then(() => createFileOnce(join(this.folder, `${key.generation}.json`), serialize(key)));
  }

  async remove(generations: readonly number[]): Promise<void> {
    await Promise.all(generations.map((generation) => rm(join(this.folder, `${generation}.json`), { force: true })));
  }
}
