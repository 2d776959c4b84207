import type { AppDefinition } from '@gatehouse/app-kit';
import { BODY_LIMIT } from '@gatehouse/contracts';
import { UsersModule } from './users.module';
import { UsersSettings } from './users.settings';

export const usersApp: AppDefinition<UsersSettings> = {
  name: 'users',
  settings: UsersSettings,
  port: (settings) => settings.USERS_PORT,
  module: (kit) => UsersModule.register(kit),
  messages: 'users',
  docs: { title: 'Gatehouse users', description: 'User profiles, per tenant. Reached through the gateway.' },
  bodyLimit: BODY_LIMIT.users,
};
