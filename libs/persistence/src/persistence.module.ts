import { type DynamicModule, Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_RUNTIME, type AppRuntime, CommonSettings } from '@gatehouse/config';
import { DataSource } from 'typeorm';
import { embeddedFolder, schemaName } from './database-location';
import { EmbeddedDatabase } from './embedded-database';
import { openDataSource, type SchemaDefinition } from './open-data-source';

async function connect(
  settings: CommonSettings,
  runtime: AppRuntime,
  definition: SchemaDefinition,
): Promise<DataSource> {
  const schema = schemaName(settings, runtime);
  if (settings.DATABASE_URL) return openDataSource({ ...definition, schema, url: settings.DATABASE_URL, timeoutMs: settings.DATABASE_TIMEOUT_MS });
  const embedded = await EmbeddedDatabase.acquire(embeddedFolder(settings, runtime));
  try {
    return await openDataSource({ ...definition, schema, embedded });
  } catch (error) {
    await embedded.release();
    throw error;
  }
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
