import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { StartupError } from '@gatehouse/config';
import type { Logger } from '@gatehouse/observability';

/**
 * The development fallback when a key-encryption secret setting is unset (production refuses to
 * start without it): 256 random bits written once to `path`, owner-only, then read back on every
 * start. Two starts racing on a fresh folder agree on one secret: the first link wins.
 */
export function loadOrCreateDevSecret(path: string, settingName: string, logger: Pick<Logger, 'warn'>): string {
  if (!existsSync(path)) createFileOnce(path, `${randomBytes(32).toString('base64url')}\n`);
  // A copy or an archive may have widened the mode; the file guards private signing keys.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32) {
    throw StartupError.of(
      `${path} does not hold a usable secret (at least 32 characters)`,
      [],
      `delete ${path} to have a new one generated, or set ${settingName}`,
    );
  }
  logger.warn({ path }, `${settingName} is unset: private signing keys are encrypted with a generated development secret kept in this file`);
  return secret;
}

/**
 * Writes `content` to `path` unless it exists, owner-only; answers whether this call wrote it.
 * Written aside, then linked into place: a concurrent reader never sees a half-written file.
 */
export function createFileOnce(path: string, content: string): boolean {
  mkdirSync(dirname(path), { recursive: true });
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, content, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    rmSync(draft, { force: true });
  }
}
