import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CommonSettings, settingKeys } from '@gatehouse/config';
import { AuthSettings } from '../../apps/auth/src/auth.settings';
import { GatewaySettings } from '../../apps/gateway/src/gateway.settings';
import { OrdersSettings } from '../../apps/orders/src/orders.settings';
import { UsersSettings } from '../../apps/users/src/users.settings';

/**
 * The apps' settings classes, for the tests that hold deployment files (docker-compose.yml,
 * deploy/k8s) against them: an app reads only its declared keys, so a key it does not declare is
 * silently ignored, which is how a deployment ends up misconfigured.
 */
export type App = 'gateway' | 'auth' | 'users' | 'orders';
export const APPS: Record<App, new () => CommonSettings> = {
  gateway: GatewaySettings,
  auth: AuthSettings,
  users: UsersSettings,
  orders: OrdersSettings,
};
export const APP_NAMES = Object.keys(APPS) as App[];
export const ROOT = join(__dirname, '..', '..');

/** The keys an app reads: its settings, and the `${VAR}`s of the bootstrap file it is given. */
export function declaredKeys(app: App, bootstrapFile?: string): Set<string> {
  const declared = new Set(settingKeys(APPS[app]).map(({ key }) => key));
  if (bootstrapFile) for (const [, name] of readFileSync(join(ROOT, bootstrapFile), 'utf8').matchAll(/\$\{([A-Z0-9_]+)\}/g)) declared.add(name);
  return declared;
}

/** Every environment key of `env` that the app does not read, as a message each. */
export function undeclaredKeys(app: App, env: Record<string, string>): string[] {
  const declared = declaredKeys(app, env.BOOTSTRAP_FILE);
  return Object.keys(env)
    .filter((key) => !declared.has(key))
    .map((key) => `${app}: ${key} is not a setting of ${APPS[app].name}`);
}
