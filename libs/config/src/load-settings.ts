import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { CommonSettings, SettingsIssue } from './common.settings';
import { settingKeys } from './setting.decorator';
import { StartupError } from './startup-error';

export type Env = Readonly<Record<string, string | undefined>>;

/** Thrown at boot when settings are invalid or insecure; lists every bad key at once. */
export class SettingsError extends StartupError {
  constructor(readonly problems: readonly string[]) {
    super(`Refusing to start, invalid settings:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SettingsError';
  }
}

export interface LoadedSettings<T> {
  settings: T;
  /** Insecure settings tolerated outside production; the app logs them once at start. */
  warnings: SettingsIssue[];
}

/** `.env` in the working directory, when present; the real environment always wins over it. */
export function readDotEnv(dir = process.cwd()): Env {
  const file = resolve(dir, '.env');
  return existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
}

function flatten(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => [
    ...Object.values(error.constraints ?? {}).map((text) => (text.startsWith(error.property) ? text : `${error.property}: ${text}`)),
    ...flatten(error.children ?? []),
  ]);
}

/**
 * Reads the declared keys of `type` from the environment, validates them all, and applies the
 * security policy: in production an insecure setting refuses the start, elsewhere it is a warning.
 */
export function loadSettings<T extends CommonSettings>(type: new () => T, env: Env = { ...readDotEnv(), ...process.env }): LoadedSettings<T> {
  const raw: Record<string, string> = {};
  for (const { key } of settingKeys(type)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') raw[key] = value.trim();
  }
  const settings = plainToInstance(type, raw, {
    excludeExtraneousValues: true,
    exposeDefaultValues: true,
    enableImplicitConversion: true,
  });
  settings.deriveDefaults(new Set(Object.keys(raw)));
  const problems = flatten(validateSync(settings, { forbidUnknownValues: true }));
  if (problems.length > 0) throw new SettingsError(problems);

  const issues = settings.securityIssues();
  if (settings.isProduction && issues.length > 0) {
    throw new SettingsError(issues.map((issue) => `${issue.key}: ${issue.message}`));
  }
  return { settings, warnings: issues };
}
