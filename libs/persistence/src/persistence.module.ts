import { type DynamicModule, Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_RUNTIME, type AppRuntime, CommonSettings, StartupError } from '@gatehouse/config';
import { DataSource } from 'typeorm';
import { embeddedFolder, schemaName } from './database-location';
import { EmbeddedDatabase } from './embedded-database';
import { openDataSource, type SchemaDefinition } from './open-data-source';

async function connect(settings: CommonSettings, runtime: AppRuntime, definition: SchemaDefinition): Promise<DataSource> {
  const schema = schemaName(settings, runtime);
  if (settings.DATABASE_URL) {
    const url = settings.DATABASE_URL;
    return openDataSource({ ...definition, schema, url, timeoutMs: settings.DATABASE_TIMEOUT_MS }).catch((error: unknown) => {
      throw unreachable(error, url) ?? error;
    });
  }
  const embedded = await EmbeddedDatabase.acquire(embeddedFolder(settings, runtime));
  try {
    return await openDataSource({ ...definition, schema, embedded });
  } catch (error) {
    await embedded.release();
    throw error;
  }
}

const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', '28P01', '28000', '3D000']);

/** A database that cannot be reached or entered at start, said without the URL's credentials. */
function unreachable(error: unknown, url: string): StartupError | undefined {
  const code = (error as { code?: unknown }).code;
  const timedOut = error instanceof Error && /timeout/i.test(error.message);
  if (!(typeof code === 'string' && CONNECTION_FAILURES.has(code)) && !timedOut) return undefined;
  const { hostname, port, pathname } = new URL(url);
  const where = `${hostname}:${port || 5432}${pathname}`;
  const why =
    code === '28P01' || code === '28000'
      ? 'authentication failed'
      : code === '3D000'
        ? 'no such database'
        : `unreachable (${typeof code === 'string' ? code : 'timed out'})`;
  return StartupError.of(`The database at ${where} (DATABASE_URL): ${why}`, [], 'start PostgreSQL there, or correct DATABASE_URL');
}

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * The app's data source, provided under TypeORM's own token so `@InjectRepository` and the
 * health check find it: PostgreSQL when `DATABASE_URL` is set, else the embedded database.
 */
@Global()
@Module({})
export class PersistenceModule {
  static forApp(definition: SchemaDefinition): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        {
          provide: DataSource,
          inject: [CommonSettings, APP_RUNTIME],
          useFactory: (settings: CommonSettings, runtime: AppRuntime) => connect(settings, runtime, definition),
        },
        DataSourceCloser,
      ],
      exports: [DataSource],
    };
  }
}
