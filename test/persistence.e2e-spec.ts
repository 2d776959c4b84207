import { EmbeddedDatabase, openDataSource } from '@gatehouse/persistence';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@gatehouse/persistence';
import { createTestEnv, dropSchemas, REAL, type TestEnv } from './support/test-env';

class CreateNotes1700000000000 implements MigrationInterface {
  name = 'CreateNotes1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "${schemaOf(queryRunner)}"."notes" ("text" text NOT NULL)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}"."notes"`);
  }
}

const notes = async (dataSource: DataSource, schema: string) =>
  (await dataSource.query<{ text: string }[]>(`SELECT "text" FROM "${schema}"."notes" ORDER BY "text"`)).map((row) => row.text);

/**
 * Two apps of one process on one database: on the embedded default they share one PGlite session
 * through the gate, on PostgreSQL each has its own pool. Either way, one app's rollback must never
 * take the other's committed work with it.
 */
describe(`persistence: overlapping transactions of two apps (${REAL.postgres ? 'PostgreSQL' : 'embedded'})`, () => {
  let testEnv: TestEnv;
  let embedded: EmbeddedDatabase[] = [];
  let first: DataSource;
  let second: DataSource;
  const schemas = () => [`${testEnv.schemaPrefix}app_one`, `${testEnv.schemaPrefix}app_two`];

  beforeAll(async () => {
    testEnv = await createTestEnv();
    const open = async (schema: string) => {
      if (REAL.postgres) return openDataSource({ schema, url: REAL.postgres, entities: [], migrations: [CreateNotes1700000000000] });
      const database = await EmbeddedDatabase.acquire(`${testEnv.dataDir}/shared`);
      embedded.push(database);
      return openDataSource({ schema, embedded: database, entities: [], migrations: [CreateNotes1700000000000] });
    };
    const [one, two] = schemas();
    first = await open(one);
    second = await open(two);
  });

  afterAll(async () => {
    await first?.destroy();
    await second?.destroy();
    embedded = [];
    if (REAL.postgres) await dropSchemas(REAL.postgres, schemas());
    await testEnv.cleanup();
  });

  it('ran each app migrations in its own schema', async () => {
    const [one, two] = schemas();
    expect(await notes(first, one)).toEqual([]);
    expect(await notes(second, two)).toEqual([]);
  });

  it('keeps the committed work of one app when the other rolls back', async () => {
    const [one, two] = schemas();
    let releaseFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstStarted!: () => void;
    const firstIsInside = new Promise<void>((resolve) => (firstStarted = resolve));

    const rolledBack = first
      .transaction(async (manager) => {
        await manager.query(`INSERT INTO "${one}"."notes" ("text") VALUES ('doomed')`);
        firstStarted();
        await firstMayFinish;
        throw new Error('roll back');
      })
      .catch((error: Error) => error.message);

    await firstIsInside;
    const committed = second.transaction(async (manager) => {
      await manager.query(`INSERT INTO "${two}"."notes" ("text") VALUES ('kept')`);
    });
    // On the embedded gate the second transaction waits for the first to end; on PostgreSQL it
    // commits at once. Releasing the first now covers both without a timing assumption.
    releaseFirst();
    await expect(rolledBack).resolves.toBe('roll back');
    await committed;

    expect(await notes(first, one)).toEqual([]);
    expect(await notes(second, two)).toEqual(['kept']);
  });

  it('migrates once: reopening a schema runs nothing again', async () => {
    const [one] = schemas();
    const reopened = REAL.postgres
      ? await openDataSource({ schema: one, url: REAL.postgres, entities: [], migrations: [CreateNotes1700000000000] })
      : await openDataSource({ schema: one, embedded: embedded[0], entities: [], migrations: [CreateNotes1700000000000] });
    try {
      const ran = await reopened.query<{ name: string }[]>(`SELECT "name" FROM "${one}"."migrations"`);
      expect(ran.map((row) => row.name)).toEqual(['CreateNotes1700000000000']);
    } finally {
      // The embedded handle is shared with `first`; a reopened data source must not close it.
      if (REAL.postgres) await reopened.destroy();
    }
  });
});
