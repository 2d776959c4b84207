import { join } from 'node:path';
import type { AppRuntime, CommonSettings } from '@gatehouse/config';

/** Each app owns one schema, in PostgreSQL and in the embedded database alike. */
export function schemaName(settings: CommonSettings, runtime: AppRuntime): string {
  return `${settings.DATABASE_SCHEMA_PREFIX}${runtime.app}`;
}

/** The platform shares one embedded folder; an app started alone opens its own. */
export function embeddedFolder(settings: CommonSettings, runtime: AppRuntime): string {
  return join(settings.DATA_DIR, runtime.layout === 'platform' ? 'platform' : runtime.app);
}
