import type { AppDefinition } from '@gatehouse/app-kit';
import { BODY_LIMIT } from '@gatehouse/contracts';
import { AuthModule } from './auth.module';
import { AuthSettings } from './auth.settings';

export { demoCredentialsFile, demoServiceSecrets } from './bootstrap/demo-service-secrets';
export type { AuthSettings } from './auth.settings';

export const authApp: AppDefinition<AuthSettings> = {
  name: 'auth',
  settings: AuthSettings,
  port: (settings) => settings.AUTH_PORT,
  module: (kit) => AuthModule.register(kit),
  // Audit events reported by the gateway and the services.
  messages: 'auth',
  docs: {
    title: 'Gatehouse auth',
    description: 'OAuth2 authorization server: accounts, clients, signing keys and tokens.',
  },
  bodyLimit: BODY_LIMIT.auth,
};
