import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { ClientProxy } from '@nestjs/microservices';
import { CommonSettings } from '@gatehouse/config';
import type { MessagingAppName } from '@gatehouse/contracts';
import { AuditPublisher, messageClientToken } from '@gatehouse/transport';
import { CREDENTIAL_VERIFIER } from '../credential-verifier';
import { DenyByDefaultGuard } from '../deny-by-default.guard';
import { DomainErrorFilter } from '../domain-error.filter';
import { auditPublisherProvider } from '../service/audit-reporting';
import { ServiceClient } from '../service/service-client';
import { SERVICE_CREDENTIALS, type ServiceCredentials, ServiceTokenClient } from '../service/service-token.client';
import { ServiceTokenVerifier } from '../service/service-token.verifier';
import { GatewayIdentityVerifier, SERVICE_NAME } from './gateway-identity.verifier';
import { type GatehouseResourceOptions, resourceSettingsOf } from './resource-options';
import { ResourceServerSettings } from './resource-server.settings';
import { TrustedKeys } from './trusted-keys';

function resourceSettings(settings: CommonSettings): ResourceServerSettings {
  if (!(settings instanceof ResourceServerSettings))
    throw new Error(`${settings.constructor.name} must extend ResourceServerSettings to use GatehouseResourceModule.forService`);
  return settings;
}

/** The injection token of the ServiceClient that reaches `target` with this service's token. */
export function serviceClientToken(target: MessagingAppName): string {
  return `gatehouse:service-client:${target}`;
}

export interface PlatformServiceOptions {
  /** The services this one sends messages to (their transport clients come from TransportModule). */
  calls?: readonly MessagingAppName[];
}

/**
 * What makes an app a resource service behind the gateway: `@Authenticated` routes verify the
 * identity the gateway propagates, `@ServiceScopes` message handlers verify service tokens with
 * `aud` = the service, and ServiceTokenClient (a ServiceClient per called platform service) carries
 * this service's own token. `forRoot` is the whole of it for a team's own service, deny-by-default
 * guard and error answers included; `forService` is the same for the platform's services, whose
 * app kit already holds the guard, the error filter and the validated settings.
 */
@Module({})
export class GatehouseResourceModule {
  static forRoot(options: GatehouseResourceOptions): DynamicModule {
    const settings = resourceSettingsOf(options);
    const credentials: ServiceCredentials = {
      clientId: options.clientId ?? `${options.service}-service`,
      secret: options.clientSecret,
      tokenUrl: `${settings.authUrl}/oauth/token`,
    };
    return GatehouseResourceModule.build(options.service, [
      { provide: ResourceServerSettings, useValue: settings },
      { provide: SERVICE_CREDENTIALS, useValue: credentials },
      { provide: APP_GUARD, useClass: DenyByDefaultGuard },
      { provide: APP_FILTER, useClass: DomainErrorFilter },
    ]);
  }

  static forService(service: MessagingAppName, { calls = [] }: PlatformServiceOptions = {}): DynamicModule {
    const clients: Provider[] = calls.map((target) => ({
      provide: serviceClientToken(target),
      inject: [messageClientToken(target), ServiceTokenClient, ResourceServerSettings],
      useFactory: (client: ClientProxy, tokens: ServiceTokenClient, settings: ResourceServerSettings) =>
        new ServiceClient(client, tokens, settings.RPC_TIMEOUT_MS),
    }));
    const module = GatehouseResourceModule.build(service, [
      // The kit provides the app's settings as CommonSettings; a resource service's extend these.
      { provide: ResourceServerSettings, inject: [CommonSettings], useFactory: resourceSettings },
      {
        provide: SERVICE_CREDENTIALS,
        inject: [ResourceServerSettings],
        useFactory: (settings: ResourceServerSettings): ServiceCredentials => ({
          clientId: `${service}-service`,
          secret: settings.serviceSecret(),
          tokenUrl: `${settings.authUrl}/oauth/token`,
        }),
      },
      // Security events (refused service tokens, refusals by policy) go to auth's audit trail.
      auditPublisherProvider(ResourceServerSettings, (settings) => ({
        clientId: `${service}-service`,
        secret: settings.serviceSecret(),
        timeoutMs: settings.RPC_TIMEOUT_MS,
      })),
      ...clients,
    ]);
    return { ...module, exports: [...(module.exports ?? []), AuditPublisher, ...calls.map(serviceClientToken)] };
  }

  private static build(service: string, providers: Provider[]): DynamicModule {
    return {
      module: GatehouseResourceModule,
      global: true,
      providers: [
        { provide: SERVICE_NAME, useValue: service },
        ...providers,
        TrustedKeys,
        GatewayIdentityVerifier,
        { provide: CREDENTIAL_VERIFIER, useExisting: GatewayIdentityVerifier },
        ServiceTokenVerifier,
        ServiceTokenClient,
      ],
      exports: [SERVICE_NAME, TrustedKeys, CREDENTIAL_VERIFIER, ResourceServerSettings, ServiceTokenVerifier, ServiceTokenClient],
    };
  }
}
