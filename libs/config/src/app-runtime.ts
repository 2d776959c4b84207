import type { LoggerService } from '@nestjs/common';
import type { AppName } from '@gatehouse/contracts';
import type { Env } from './load-settings';

/**
 * How an app is being run. `platform`: every app in one process (one embedded database shared
 * through a gate, a schema per app). `standalone`: `nest start <app>`, its own data folder.
 */
export type ProcessLayout = 'platform' | 'standalone';

export interface AppRuntime {
  app: AppName;
  layout: ProcessLayout;
  /** The environment the settings were read from (for `${NAME}` references in declared files). */
  env: Env;
}

export interface AppStartOptions {
  layout?: ProcessLayout;
  /** Settings to use instead of the process environment (tests start apps side by side this way). */
  env?: Env;
  /** Where framework messages go; Nest keeps one such logger per process. */
  frameworkLogger?: LoggerService;
}

export const APP_RUNTIME = Symbol('gatehouse:app-runtime');
