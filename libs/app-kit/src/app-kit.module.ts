import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { APP_RUNTIME, type AppRuntime, CommonSettings } from '@gatehouse/config';
import { APP_LOGGER, AppMetrics, type Logger } from '@gatehouse/observability';
import { DenyByDefaultGuard } from '@gatehouse/security';
import { ErrorFilter, WWW_AUTHENTICATE_REALM } from './error.filter';
import { HealthController, ReadinessChecks } from './health.controller';
import { Lifecycle } from './lifecycle';
import { MetricsController } from './metrics.controller';
import { createValidationPipe } from './validation.pipe';

export interface AppKitOptions<S extends CommonSettings> {
  runtime: AppRuntime;
  settings: S;
  /** The app's own settings class, so its modules can inject the typed object. */
  settingsType: abstract new () => S;
  metrics: AppMetrics;
  logger: Logger;
  lifecycle: Lifecycle;
}

/**
 * What every Gatehouse app has: its validated settings, the deny-by-default guard, whitelisting
 * validation, the one error filter, health and metrics. Registered as global enhancers, so they
 * apply to message handlers of a hybrid app too.
 */
@Global()
@Module({})
export class AppKitModule {
  static forRoot<S extends CommonSettings>(options: AppKitOptions<S>): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_RUNTIME, useValue: options.runtime },
      { provide: CommonSettings, useValue: options.settings },
      { provide: AppMetrics, useValue: options.metrics },
      { provide: APP_LOGGER, useValue: options.logger },
      { provide: WWW_AUTHENTICATE_REALM, useValue: 'gatehouse' },
      { provide: APP_GUARD, useClass: DenyByDefaultGuard },
      { provide: APP_PIPE, useFactory: createValidationPipe },
      ErrorFilter,
      { provide: APP_FILTER, useExisting: ErrorFilter },
      ReadinessChecks,
      { provide: Lifecycle, useValue: options.lifecycle },
    ];
    if ((options.settingsType as unknown) !== CommonSettings) {
      providers.push({ provide: options.settingsType, useValue: options.settings });
    }
    return {
      module: AppKitModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers,
      exports: [APP_RUNTIME, CommonSettings, AppMetrics, APP_LOGGER, ReadinessChecks, ErrorFilter, options.settingsType],
    };
  }
}
