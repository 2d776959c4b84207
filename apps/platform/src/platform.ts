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
  const frameworkLogger = new NestPinoLogger(createLogger({ app: 'platform', level: settings.LOG_LEVEL, format: settings.logFormat }));
  const started: RunningApp[] = [];
  try {
    // The gateway reaches auth over loopback in this process: its X-Forwarded-For names the client
    // that login limits count (a set value wins).
    const auth = await startApp(authApp, { env: { AUTH_TRUSTED_PROXIES: '127.0.0.1,::1', ...env }, frameworkLogger, layout: 'platform' });
    started.push(auth);
    // The demo's service clients, for the apps after auth (development only; set values win).
    const shared = {
      env: { ...env, ...demoServiceSecrets(auth.settings, { app: 'auth', layout: 'platform', env }) },
      frameworkLogger,
      layout: 'platform',
    } as const;
    started.push(await startApp(usersApp, shared));
    started.push(await startApp(ordersApp, shared));
    started.push(await startApp(gatewayApp, shared));
  } catch (error) {
    for (const app of started.reverse()) await app.close().catch(() => undefined);
    throw error;
  }
  return started;
}
