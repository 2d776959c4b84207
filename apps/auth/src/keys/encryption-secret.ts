import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FactoryProvider } from '@nestjs/common';
import { APP_RUNTIME, type AppRuntime } from '@gatehouse/config';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import { embeddedFolder } from '@gatehouse/persistence';
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

/**
 * The development fallback when KEYS_ENCRYPTION_SECRET is unset (production refuses to start
 * without it): 256 random bits written once, owner-only, then read back on every start. Two
 * starts racing on a fresh folder agree on one secret: the first link wins.
 */
export function loadOrCreateDevSecret(folder: string, logger: Pick<Logger, 'warn'>): string {
  const path = join(folder, DEV_SECRET_FILE);
  if (!existsSync(path)) createOnce(path, `${randomBytes(32).toString('base64url')}\n`);
  // A copy or an archive may have widened the mode; the file guards every private signing key.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32) {
    throw new Error(`${path} does not hold a usable secret (at least 32 characters)`);
  }
  logger.warn(
    { path },
    'KEYS_ENCRYPTION_SECRET is unset: private signing keys are encrypted with a generated development secret kept in this file',
  );
  return secret;
}

/** Written aside, then linked into place: a concurrent start never reads a half-written file. */
function createOnce(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, content, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}

export const keyEncryptionProvider: FactoryProvider<KeyEncryption> = {
  provide: KeyEncryption,
  inject: [AuthSettings, APP_RUNTIME, APP_LOGGER],
  useFactory: (settings: AuthSettings, runtime: AppRuntime, logger: Logger) =>
    new KeyEncryption(settings.KEYS_ENCRYPTION_SECRET ?? loadOrCreateDevSecret(devSecretFolder(settings, runtime), logger)),
};
