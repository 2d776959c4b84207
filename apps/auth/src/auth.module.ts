import { type DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule, RedisModule } from '@gatehouse/persistence';
import { TransportModule } from '@gatehouse/transport';
import { AccountEntity } from './accounts/account.entity';
import { AuditEventEntity } from './audit/audit-event.entity';
import { AuditModule } from './audit/audit.module';
import { ClientEntity } from './clients/client.entity';
import { KeysModule } from './keys/keys.module';
import { AdminModule } from './admin/admin.module';
import { OAuthModule } from './oauth/oauth.module';
import { RegistryModule } from './registry/registry.module';
import { SigningKeyEntity } from './keys/signing-key.entity';
import { CreateAuthSchema1763800000100 } from './migrations/1763800000100-create-auth-schema';
import { CreateSessions1763800000200 } from './migrations/1763800000200-create-sessions';
import { TenantIssuerUnique1763800000300 } from './migrations/1763800000300-tenant-issuer-unique';
import { TenantAllowedScopes1763800000400 } from './migrations/1763800000400-tenant-allowed-scopes';
import { RefreshReuseGrace1763800000500 } from './migrations/1763800000500-refresh-reuse-grace';
import { ClientBrowserFields1763800000600 } from './migrations/1763800000600-client-browser-fields';
import { AuthorizationCodes1763800000700 } from './migrations/1763800000700-authorization-codes';
import { Consents1763800000800 } from './migrations/1763800000800-consents';
import { AuthorizationCodeEntity } from './authorize/authorization-code.entity';
import { ConsentEntity } from './authorize/consent.entity';
import { RevocationEvents1763800000900 } from './migrations/1763800000900-revocation-events';
import { LoginDevices1763800001000 } from './migrations/1763800001000-login-devices';
import { LoginDeviceEntity } from './login-limits/login-device.entity';
import { AuditTrailFields1763800005000 } from './migrations/1763800005000-audit-trail-fields';
import { AccountLinks1763800002000 } from './migrations/1763800002000-account-links';
import { AccountLinkEntity } from './mail-links/account-link.entity';
import { MailLinksModule } from './mail-links/mail-links.module';
import { RevocationEventEntity } from './revocations/revocation-event.entity';
import { RevocationsModule } from './revocations/revocations.module';
import { SessionEntity } from './sessions/session.entity';
import { Mfa1763800003000 } from './migrations/1763800003000-mfa';
import { RecoveryCodeEntity, TotpEnrolmentEntity } from './mfa/mfa.entities';
import { TenantEntity } from './tenants/tenant.entity';
import { RefreshTokenEntity } from './tokens/refresh-token.entity';
import { RevokedAccessTokenEntity } from './tokens/revoked-access-token.entity';

@Module({})
export class AuthModule {
  static register(kit: DynamicModule): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        kit,
        // Login limits count on Redis when REDIS_URL is set (shared by every instance).
        RedisModule,
        PersistenceModule.forApp({
          entities: [
            TenantEntity,
            AccountEntity,
            ClientEntity,
            SigningKeyEntity,
            RefreshTokenEntity,
            RevokedAccessTokenEntity,
            AuditEventEntity,
            SessionEntity,
            AuthorizationCodeEntity,
            ConsentEntity,
            RevocationEventEntity,
            LoginDeviceEntity,
            AccountLinkEntity,
            TotpEnrolmentEntity,
            RecoveryCodeEntity,
          ],
          migrations: [
            CreateAuthSchema1763800000100,
            CreateSessions1763800000200,
            TenantIssuerUnique1763800000300,
            TenantAllowedScopes1763800000400,
            RefreshReuseGrace1763800000500,
            ClientBrowserFields1763800000600,
            AuthorizationCodes1763800000700,
            Consents1763800000800,
            RevocationEvents1763800000900,
            LoginDevices1763800001000,
            AccountLinks1763800002000,
            Mfa1763800003000,
            AuditTrailFields1763800005000,
          ],
        }),
        TransportModule.forApp({ targets: ['users'], serves: 'auth' }),
        KeysModule,
        OAuthModule,
        AdminModule,
        RegistryModule,
        RevocationsModule,
        AuditModule,
        MailLinksModule,
      ],
    };
  }
}
