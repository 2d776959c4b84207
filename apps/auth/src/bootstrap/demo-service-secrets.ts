import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppRuntime } from '@gatehouse/config';
import type { AuthSettings } from '../auth.settings';
import { devSecretFolder } from '../keys/encryption-secret';
import { DEMO_CREDENTIALS_FILE } from './demo-document';

/** Which setting of which app holds the secret of which demo client. */
const WIRING = { USERS_SERVICE_SECRET: 'users-service', ORDERS_SERVICE_SECRET: 'orders-service', GATEWAY_CLIENT_SECRET: 'gateway' } as const;

/**
 * In development, the platform process hands the demo's service clients their secrets, so that
 * `npm start` works with nothing configured: the settings left unset get the secrets the demo
 * bootstrap wrote. Never in production, and never over a value that is set.
 */
export function demoServiceSecrets(settings: AuthSettings, runtime: AppRuntime): Record<string, string> {
  const path = demoCredentialsFile(settings, runtime);
  if (!path) return {};
  const { clients } = JSON.parse(readFileSync(path, 'utf8')) as { clients?: Record<string, string> };
  const wired: Record<string, string> = {};
  for (const [setting, client] of Object.entries(WIRING)) {
    const secret = clients?.[client];
    if (runtime.env[setting] === undefined && typeof secret === 'string') wired[setting] = secret;
  }
  return wired;
}

/** The file the development demo wrote its secrets to, when this start uses the demo. */
export function demoCredentialsFile(settings: AuthSettings, runtime: AppRuntime): string | null {
  if (settings.isProduction || settings.BOOTSTRAP_FILE) return null;
  const path = join(devSecretFolder(settings, runtime), DEMO_CREDENTIALS_FILE);
  return existsSync(path) ? path : null;
}
