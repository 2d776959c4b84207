import type { AppDefinition } from '@gatehouse/app-kit';
import { GatewayModule } from './gateway.module';
import { GatewaySettings } from './gateway.settings';

export const gatewayApp: AppDefinition<GatewaySettings> = {
  name: 'gateway',
  settings: GatewaySettings,
  port: (settings) => settings.GATEWAY_PORT,
  module: (kit) => GatewayModule.register(kit),
  docs: { title: 'Gatehouse', description: 'The single entry point of the platform.' },
  // The proxy streams request bodies to the upstream untouched.
  parseBodies: false,
};
