import { resolve } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { type AppStartOptions, CommonSettings, loadSettings, readDotEnv } from '@gatehouse/config';
import { createLogger, NestPinoLogger } from '@gatehouse/observability';
import { authApp, demoServiceSecrets } from '../../auth/src/auth.app';
import { gatewayApp } from '../../gateway/src/gateway.app';
import { ordersApp } from '../../orders/src/orders.app';
import { usersApp } from '../../users/src/users.app';

/**
 * The modular monolith: the very apps that `nest start <app>` runs alone, started in one process,
 * each on its own port and schema, sharing one embedded database. The gateway starts last, so the
 * public entry opens only once everything behind it answers.
 */
export async function startPlatform(options: Omit<AppStartOptions, 'layout'> = {}): Promise<RunningApp[]> {
  const env = options.env ?? { ...readDotEnv(), ...process.env };
  const { settings } = loadSettings(CommonSettings, env);
  const frameworkLogger = new NestPinoLogger(createLogger({ app: 'platform', level: settings.LOG_LEVEL }));
  const started: RunningApp[] = [];
  try {
    // The gateway reaches auth over loopback in this process: its X-Forwarded-For names the client
    // that login limits count (a set value wins).
    const auth = await startApp(authApp, { env: { AUTH_TRUSTED_PROXIES: '127.0.0.1,::1', ...env }, frameworkLogger, layout: 'platform' });
    started.push(auth);
    // The demo's service clients, for the apps after auth (development only; set values win).
    const shared = { env: { ...env, ...demoServiceSecrets(auth.settings, { app: 'auth', layout: 'platform', env }) }, frameworkLogger, layout: 'platform' } as const;
    started.push(await startApp(usersApp, shared));
    started.push(await startApp(ordersApp, shared));
    started.push(await startApp(gatewayApp, shared));
  } catch (error) {
    for (const app of started.reverse()) await app.close().catch(() => undefined);
    throw error;
  }
  return started;
}

export function platformBanner(apps: RunningApp[]): string {
  const gateway = apps.find((app) => app.name === 'gateway');
  // The public origin (the issuer), so that a browser opens the docs where tokens and cookies belong.
  const issuer = (gateway?.settings as { AUTH_ISSUER?: string } | undefined)?.AUTH_ISSUER?.replace(/\/$/, '');
  const entry = issuer ?? gateway?.url;
  const dataDir = apps[0] ? resolve(apps[0].settings.DATA_DIR, 'platform') : '';
  const lines = [
    '',
    'Gatehouse is running.',
    `  gateway (public entry)  ${entry ?? '-'}`,
    `  API docs                ${entry ? `${entry}/docs` : '-'}`,
    ...apps.map((app) => `  ${app.name.padEnd(23)} ${app.url}  (docs ${app.url}/docs)`),
    apps[0]?.settings.DATABASE_URL ? '  database                PostgreSQL (DATABASE_URL)' : `  data folder             ${dataDir}`,
    '  Ctrl-C stops everything.',
    '',
  ];
  return lines.join('\n');
}
