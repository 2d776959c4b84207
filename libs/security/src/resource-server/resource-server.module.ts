import { type DynamicModule, Module } from '@nestjs/common';
import { CommonSettings } from '@gatehouse/config';
import { CREDENTIAL_VERIFIER } from '../credential-verifier';
import { GatewayIdentityVerifier, SERVICE_NAME } from './gateway-identity.verifier';
import { ResourceServerSettings } from './resource-server.settings';
import { TrustedKeys } from './trusted-keys';

function resourceSettings(settings: CommonSettings): ResourceServerSettings {
  if (!(settings instanceof ResourceServerSettings)) throw new Error(`${settings.constructor.name} must extend ResourceServerSettings to use ResourceServerModule`);
  return settings;
}

/**
 * What makes an app a resource service: `@Authenticated` routes verify the identity the gateway
 * propagates (the app's settings must extend ResourceServerSettings), audience = `service`.
 */
@Module({})
export class ResourceServerModule {
  static forService(service: string): DynamicModule {
    return {
      module: ResourceServerModule,
      global: true,
      providers: [
        { provide: SERVICE_NAME, useValue: service },
        // The kit provides the app's settings as CommonSettings; a resource service's extend these.
        { provide: ResourceServerSettings, inject: [CommonSettings], useFactory: resourceSettings },
        TrustedKeys,
        GatewayIdentityVerifier,
        { provide: CREDENTIAL_VERIFIER, useExisting: GatewayIdentityVerifier },
      ],
      exports: [SERVICE_NAME, TrustedKeys, CREDENTIAL_VERIFIER, ResourceServerSettings],
    };
  }
}
