import { DataSource, type DataSourceOptions, type MixedList, type QueryRunner } from 'typeorm';

type PostgresOptions = Extract<DataSourceOptions, { type: 'postgres' }>;
import type { EmbeddedDatabase } from './embedded-database';

export interface SchemaDefinition {
  // TypeORM's own option types: entity classes and migration classes of one app.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
}

export interface OpenDataSourceOptions extends SchemaDefinition {
  schema: string;
  /** PostgreSQL URL; when absent, `embedded` is used. */
  url?: string;
  embedded?: EmbeddedDatabase;
  poolSize?: number;
  /** PostgreSQL only: deadline of a query and of getting a connection (the embedded one is in process). */
  timeoutMs?: number;
}

/** A data source that gives its embedded database back when destroyed. */
class ManagedDataSource extends DataSource {
  constructor(
    private readonly onDestroyed: () => Promise<void> | undefined,
    options: DataSourceOptions,
  ) {
    super(options);
  }

  override async destroy(): Promise<void> {
    try {
      if (this.isInitialized) await super.destroy();
    } finally {
      await this.onDestroyed();
    }
  }
}

/** The schema a migration runs in: migrations never hard-code it, so prefixes work. */
export function schemaOf(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as PostgresOptions).schema;
  if (!schema) throw new Error('Gatehouse data sources always name their schema');
  return schema;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Opens an app's data source and brings its schema up to date with its explicit migrations.
 * Never `synchronize`. On PostgreSQL an advisory lock keeps concurrent starts of several
 * instances from running the same migration twice.
 */
export async function openDataSource(options: OpenDataSourceOptions): Promise<DataSource> {
  if (!options.url && !options.embedded) throw new Error('openDataSource needs a url or an embedded database');
  const connection: Partial<PostgresOptions> = options.url
    ? {
        url: options.url,
        poolSize: options.poolSize ?? 10,
        // pg's own deadlines: connecting, waiting for a pooled connection, and each query (client
        // side, so a link that swallows bytes is bounded too, unlike statement_timeout).
        connectTimeoutMS: options.timeoutMs,
        extra: { query_timeout: options.timeoutMs, connectionTimeoutMillis: options.timeoutMs },
      }
    : { driver: options.embedded?.pgModule() };

  const dataSource = new ManagedDataSource(() => options.embedded?.release(), {
    type: 'postgres',
    ...connection,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    applicationName: `gatehouse-${options.schema}`,
  });
  await dataSource.initialize();
  try {
    await migrate(dataSource, options.schema, Boolean(options.url));
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

async function migrate(dataSource: DataSource, schema: string, shared: boolean): Promise<void> {
  if (!shared) {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`gatehouse:migrate:${schema}`]);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`gatehouse:migrate:${schema}`]);
    await lock.release();
  }
}
