import type { AppDefinition } from '@gatehouse/app-kit';
import { platformDocuments } from './docs/platform-docs';
import { GatewayModule } from './gateway.module';
import { GatewaySettings } from './gateway.settings';

export const gatewayApp: AppDefinition<GatewaySettings> = {
  name: 'gateway',
  settings: GatewaySettings,
  port: (settings) => settings.GATEWAY_PORT,
  module: (kit) => GatewayModule.register(kit),
  docs: {
    title: 'Gatehouse',
    description: 'The single entry point of the platform.',
    // One page for the whole platform: the routed services' endpoints as the gateway exposes them.
    document: platformDocuments,
  },
  // The proxy streams request bodies to the upstream untouched.
  parseBodies: false,
};
