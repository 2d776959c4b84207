import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { ClientEntity } from '../clients/client.entity';
import { KeysModule } from '../keys/keys.module';
import { SigningKeyEntity } from '../keys/signing-key.entity';
import { OAuthModule } from '../oauth/oauth.module';
import { TenantEntity } from '../tenants/tenant.entity';
import { AdminClientsController } from './admin-clients.controller';
import { AdminKeysController } from './admin-keys.controller';
import { AdminTenantsController } from './admin-tenants.controller';
import { AdminUsersController } from './admin-users.controller';
import { AdminUserAccountsController } from './admin-user-accounts.controller';
import { AdminUserPasswordController } from './admin-user-password.controller';
import { AdminUserSessionsController } from './admin-user-sessions.controller';
import { UserAccountsAdmin } from './user-accounts-admin.service';
import { UserPasswordAdmin } from './user-password-admin.service';
import { ClientsAdmin } from './clients-admin.service';
import { KeysAdmin } from './keys-admin.service';
import { TenantsAdmin } from './tenants-admin.service';
import { UsersAdmin } from './users-admin.service';
import { AdminMfa } from './admin-mfa.service';
import { AdminUserMfaController } from './admin-user-mfa.controller';

/** `/admin/*`: tenants, clients, users and signing keys (reached through the gateway with `jwt`). */
@Module({
  imports: [OAuthModule, KeysModule, TypeOrmModule.forFeature([TenantEntity, ClientEntity, AccountEntity, SigningKeyEntity])],
  controllers: [
    AdminTenantsController,
    AdminClientsController,
    AdminUsersController,
    AdminUserAccountsController,
    AdminUserSessionsController,
    AdminUserPasswordController,
    AdminUserMfaController,
    AdminKeysController,
  ],
  providers: [TenantsAdmin, ClientsAdmin, UsersAdmin, KeysAdmin, UserAccountsAdmin, UserPasswordAdmin, AdminMfa],
})
export class AdminModule {}
