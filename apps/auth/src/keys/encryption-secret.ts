import { join } from 'node:path';
import type { FactoryProvider } from '@nestjs/common';
import { APP_RUNTIME, type AppRuntime } from '@gatehouse/config';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import { embeddedFolder } from '@gatehouse/persistence';
import { loadOrCreateDevSecret as loadDevSecretFile } from '@gatehouse/security';
import { AuthSettings } from '../auth.settings';
import { KeyEncryption } from './key-encryption';

export const DEV_SECRET_FILE = 'keys-encryption.secret';

/**
 * Where the development secret lives: beside the embedded database, or in `DATA_DIR/<app>` on
 * PostgreSQL (there is no embedded folder then, and the file must survive restarts all the same).
 */
export function devSecretFolder(settings: AuthSettings, runtime: AppRuntime): string {
  return settings.DATABASE_URL ? join(settings.DATA_DIR, runtime.app) : embeddedFolder(settings, runtime);
}

/** The development fallback when KEYS_ENCRYPTION_SECRET is unset, kept in `folder`. */
export function loadOrCreateDevSecret(folder: string, logger: Pick<Logger, 'warn'>): string {
  return loadDevSecretFile(join(folder, DEV_SECRET_FILE), 'KEYS_ENCRYPTION_SECRET', logger);
}

export const keyEncryptionProvider: FactoryProvider<KeyEncryption> = {
  provide: KeyEncryption,
  inject: [AuthSettings, APP_RUNTIME, APP_LOGGER],
  useFactory: (settings: AuthSettings, runtime: AppRuntime, logger: Logger) =>
    new KeyEncryption(settings.KEYS_ENCRYPTION_SECRET ?? loadOrCreateDevSecret(devSecretFolder(settings, runtime), logger)),
};
