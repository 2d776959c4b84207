import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { CommonSettings } from '@gatehouse/config';
import type { MessagingAppName } from '@gatehouse/contracts';
import { CREDENTIAL_VERIFIER } from '../credential-verifier';
import { AuditPublisher, messageClientToken } from '@gatehouse/transport';
import { auditPublisherProvider } from '../service/audit-reporting';
import { ServiceClient } from '../service/service-client';
import { SERVICE_CREDENTIALS, type ServiceCredentials, ServiceTokenClient } from '../service/service-token.client';
import { ServiceTokenVerifier } from '../service/service-token.verifier';
import { GatewayIdentityVerifier, SERVICE_NAME } from './gateway-identity.verifier';
import { ResourceServerSettings } from './resource-server.settings';
import { TrustedKeys } from './trusted-keys';

function resourceSettings(settings: CommonSettings): ResourceServerSettings {
  if (!(settings instanceof ResourceServerSettings))
    throw new Error(`${settings.constructor.name} must extend ResourceServerSettings to use ResourceServerModule`);
  return settings;
}

/** The injection token of the ServiceClient that reaches `target` with this service's token. */
export function serviceClientToken(target: MessagingAppName): string {
  return `gatehouse:service-client:${target}`;
}

export interface ResourceServerOptions {
  /** The services this one sends messages to (their transport clients come from TransportModule). */
  calls?: readonly MessagingAppName[];
}

/**
 * What makes an app a resource service (its settings must extend ResourceServerSettings):
 * `@Authenticated` routes verify the identity the gateway propagates, `@ServiceScopes` message
 * handlers verify service tokens with `aud` = `service`, and a ServiceClient per called service
 * carries this service's own token.
 */
@Module({})
export class ResourceServerModule {
  static forService(service: MessagingAppName, { calls = [] }: ResourceServerOptions = {}): DynamicModule {
    const clients: Provider[] = calls.map((target) => ({
      provide: serviceClientToken(target),
      inject: [messageClientToken(target), ServiceTokenClient, ResourceServerSettings],
      useFactory: (client: ClientProxy, tokens: ServiceTokenClient, settings: ResourceServerSettings) =>
        new ServiceClient(client, tokens, settings.RPC_TIMEOUT_MS),
    }));
    return {
      module: ResourceServerModule,
      global: true,
      providers: [
        { provide: SERVICE_NAME, useValue: service },
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
        TrustedKeys,
        GatewayIdentityVerifier,
        { provide: CREDENTIAL_VERIFIER, useExisting: GatewayIdentityVerifier },
        ServiceTokenVerifier,
        ServiceTokenClient,
        // Security events (refused service tokens, refusals by policy) go to auth's audit trail.
        auditPublisherProvider(ResourceServerSettings, (settings) => ({
          clientId: `${service}-service`,
          secret: settings.serviceSecret(),
          timeoutMs: settings.RPC_TIMEOUT_MS,
        })),
        ...clients,
      ],
      exports: [
        SERVICE_NAME,
        TrustedKeys,
        CREDENTIAL_VERIFIER,
        ResourceServerSettings,
        ServiceTokenVerifier,
        ServiceTokenClient,
        AuditPublisher,
        ...calls.map(serviceClientToken),
      ],
    };
  }
}
