import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, LessThanOrEqual } from 'typeorm';
import { SigningKeyEntity } from './signing-key.entity';

export interface Advanced {
  activated?: string;
  retired: string[];
  removed: number;
}

/**
 * Every state change of the signing_keys table, each in one transaction that first takes a table
 * lock which conflicts with itself (not with plain reads), so auth instances sharing a database
 * change key states one at a time. A table lock rather than `SELECT ... FOR UPDATE`: on an empty
 * table there is no row to lock, and two first starts must still agree on one active key.
 * Inside a transaction only its own manager is used: the embedded database has one connection.
 */
@Injectable()
export class KeyTransitions {
  private readonly table: string;

  constructor(private readonly dataSource: DataSource) {
    const metadata = dataSource.getMetadata(SigningKeyEntity);
    const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
    this.table = metadata.schema ? `${quote(metadata.schema)}.${quote(metadata.tableName)}` : quote(metadata.tableName);
  }

  list(): Promise<SigningKeyEntity[]> {
    return this.dataSource.getRepository(SigningKeyEntity).find({ order: { activatesAt: 'ASC', createdAt: 'ASC' } });
  }

  /**
   * Promotes the latest due `next` key; the key it replaces (and any older due key that never
   * signed) turns `retired` and stays published for `retiredFor` ms. Retired keys past their
   * `unpublish_at` are deleted: every token they signed has expired, so the private key goes too.
   */
  advance(now: Date, retiredFor: number): Promise<Advanced> {
    return this.locked(async (manager) => {
      const keys = manager.getRepository(SigningKeyEntity);
      const { affected } = await keys.delete({ status: 'retired', unpublishAt: LessThanOrEqual(now) });
      const live = await keys.find({
        where: { status: In(['next', 'active']) },
        order: { activatesAt: 'ASC', createdAt: 'ASC' },
      });
      const due = live.filter((key) => key.status === 'next' && key.activatesAt <= now);
      const incoming = due.at(-1);
      if (!incoming) return { retired: [], removed: affected ?? 0 };
      const outgoing = live.filter((key) => key !== incoming && (key.status === 'active' || due.includes(key)));
      if (outgoing.length > 0) {
        await keys.update(
          { kid: In(outgoing.map((key) => key.kid)) },
          { status: 'retired', retiredAt: now, unpublishAt: new Date(now.getTime() + retiredFor) },
        );
      }
      await keys.update({ kid: incoming.kid }, { status: 'active' });
      return { activated: incoming.kid, retired: outgoing.map((key) => key.kid), removed: affected ?? 0 };
    });
  }

  /** Inserts `key` if `wanted` still holds on the table as it is under the lock. */
  insertIf(key: SigningKeyEntity, wanted: (current: SigningKeyEntity[]) => boolean): Promise<boolean> {
    return this.locked(async (manager) => {
      const keys = manager.getRepository(SigningKeyEntity);
      if (!wanted(await keys.find())) return false;
      await keys.insert(key);
      return true;
    });
  }

  private locked<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`LOCK TABLE ${this.table} IN SHARE ROW EXCLUSIVE MODE`);
      return work(manager);
    });
  }
}
