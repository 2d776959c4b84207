import { resolve } from 'node:path';
import { type Extension, PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import * as pg from 'pg';
import { lockDataFolder } from './folder-lock';

// The contrib export map declares ESM types only; its CommonJS build exists and is what runs here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pgcrypto } = require('@electric-sql/pglite/contrib/pgcrypto') as { pgcrypto: Extension };

/** What TypeORM's postgres driver needs of a `pg` module: here, one shared pool. */
export type PgModule = typeof pg;

interface OpenDatabase {
  users: number;
  pglite: PGlite;
  pool: pg.Pool;
  unlock: () => void;
}

const open = new Map<string, Promise<OpenDatabase>>();

async function create(folder: string): Promise<OpenDatabase> {
  const unlock = lockDataFolder(folder);
  try {
    const pglite = await PGlite.create(folder, { extensions: { pgcrypto } });
    // PGlite is one database session. A single pool of one client is the gate every app of the
    // process goes through, so one app's transaction can never swallow another app's queries.
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0 });
    await pool.query('CREATE EXTENSION IF NOT EXISTS pgcrypto');
    return { users: 0, pglite, pool, unlock };
  } catch (error) {
    unlock();
    throw error;
  }
}

/**
 * A handle on the process-wide embedded database of one folder. Every app of the platform process
 * borrows the same instance; the last one to release it closes PGlite and the lock.
 */
export class EmbeddedDatabase {
  private constructor(
    readonly folder: string,
    private readonly db: OpenDatabase,
  ) {}

  static async acquire(folder: string): Promise<EmbeddedDatabase> {
    const key = resolve(folder);
    let pending = open.get(key);
    if (!pending) {
      pending = create(key);
      open.set(key, pending);
      pending.catch(() => open.delete(key));
    }
    const db = await pending;
    db.users += 1;
    return new EmbeddedDatabase(key, db);
  }

  /** A `pg` module whose Pool is the shared gate; TypeORM's `end()` on it is left to `release`. */
  pgModule(): PgModule {
    const pool = this.db.pool;
    const borrowed = {
      connect: pool.connect.bind(pool),
      query: pool.query.bind(pool),
      on: (event: string, listener: (...args: unknown[]) => void) => {
        pool.on(event as 'error', listener);
        return borrowed;
      },
      end: (callback?: (error?: Error) => void) => {
        callback?.();
        return Promise.resolve();
      },
    };
    function BorrowedPool(): typeof borrowed {
      return borrowed;
    }
    return { ...pg, Pool: BorrowedPool } as unknown as PgModule;
  }

  private released = false;

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.db.users -= 1;
    if (this.db.users > 0) return;
    open.delete(this.folder);
    try {
      await this.db.pool.end();
      await this.db.pglite.close();
    } finally {
      this.db.unlock();
    }
  }
}
