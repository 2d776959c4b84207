import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CREDENTIAL_VERIFIER } from '@gatehouse/security';
import { AccountEntity } from '../accounts/account.entity';
import { AccountsController } from '../accounts/accounts.controller';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AccountsService } from '../accounts/accounts.service';
import { PasswordHasher } from '../accounts/passwords';
import { AuditEventEntity } from '../audit/audit-event.entity';
import { AuditTrail } from '../audit/audit.service';
import { Bootstrap } from '../bootstrap/bootstrap.service';
import { ClientEntity } from '../clients/client.entity';
import { ClientLookup } from '../clients/client-lookup';
import { DiscoveryController } from '../discovery/discovery.controller';
import { KeysModule } from '../keys/keys.module';
import { ClientAddressPipe } from '../login-limits/client-address';
import { loginAttemptsProvider } from '../login-limits/login-attempts.provider';
import { LoginDeviceEntity } from '../login-limits/login-device.entity';
import { LoginDevices } from '../login-limits/login-devices.service';
import { LoginLimits } from '../login-limits/login-limits.service';
import { AuthMetrics } from '../metrics/auth-metrics';
import { FailoverAttemptStore } from '@gatehouse/throttling';
import { TenantEntity } from '../tenants/tenant.entity';
import { TenantLookup } from '../tenants/tenant-lookup';
import { TenantsRepository } from '../tenants/tenants.repository';
import { UserEvents } from '../accounts/user-events';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';
import { AccessTokenReader } from '../tokens/access-token.reader';
import { AccessTokenVerifier } from '../tokens/access-token.verifier';
import { RefreshTokenEntity } from '../tokens/refresh-token.entity';
import { RefreshTokens } from '../tokens/refresh-tokens.service';
import { RevokedAccessTokenEntity } from '../tokens/revoked-access-token.entity';
import { RevocationEvents } from '../revocations/revocation-events.service';
import { SessionEntity } from '../sessions/session.entity';
import { SessionsController } from '../sessions/sessions.controller';
import { SessionsRepository } from '../sessions/sessions.repository';
import { Sessions } from '../sessions/sessions.service';
import { SessionsClock } from '../sessions/sessions-clock';
import { AccountSessions } from '../sessions/account-sessions.service';
import { AccountSessionsController } from '../sessions/account-sessions.controller';
import { SessionHolders } from '../sessions/session-holder';
import { ApiLogins } from '../sessions/api-logins';
import { AuthorizationCodeEntity } from '../authorize/authorization-code.entity';
import { AuthorizationCodes } from '../authorize/authorization-codes.service';
import { Authorization } from '../authorize/authorization.service';
import { AuthorizeController } from '../authorize/authorize.controller';
import { ConsentEntity } from '../authorize/consent.entity';
import { Consents } from '../authorize/consents.service';
import { ConsentsController } from '../authorize/consents.controller';
import { SignIn } from '../authorize/sign-in.service';
import { SignInSecondStep } from '../authorize/sign-in-second-step';
import { HostTenantPipe } from '../authorize/tenant-from-host';
import { LogoutController } from '../authorize/logout.controller';
import { SignOut } from '../authorize/sign-out.service';
import { AuthorizationCodeGrant } from './grants/authorization-code.grant';
import { ClientCredentialsGrant } from './grants/client-credentials.grant';
import { PasswordGrant } from './grants/password.grant';
import { RefreshTokenGrant } from './grants/refresh-token.grant';
import { TokenMinter } from './grants/token-minter';
import { IntrospectionController } from './introspection.controller';
import { IntrospectionLimits } from './introspection-limits';
import { Introspection } from './introspection.service';
import { Revocation } from './revocation.service';
import { TokenEndpoint } from './token-endpoint.service';
import { TokenLookup } from './token-lookup.service';
import { TokenController } from './token.controller';
import { DeclaredOriginsCors } from '../cors/cors';
import { DeclaredOrigins } from '../cors/declared-origins';
import { PreflightController } from '../cors/preflight.controller';
import { UserInfoController } from './userinfo.controller';
import { UserInfo } from './userinfo.service';
import { IdTokenIssuer } from '../tokens/id-token.issuer';
import { MfaController } from '../mfa/mfa.controller';
import { MfaFactors } from '../mfa/mfa-factors.service';
import { MfaRepository } from '../mfa/mfa.repository';
import { mfaSecretsProvider } from '../mfa/mfa-secrets';
import { RecoveryCodeEntity, TotpEnrolmentEntity } from '../mfa/mfa.entities';
import { SecondFactor } from '../mfa/second-factor.service';

/**
 * The OAuth endpoints, accounts, browser sessions and the declared bootstrap, over the signing
 * keys. Global only to hand the app-wide guard its credential verifier.
 */
@Global()
@Module({
  imports: [
    KeysModule,
    TypeOrmModule.forFeature([
      TenantEntity,
      AccountEntity,
      ClientEntity,
      RefreshTokenEntity,
      RevokedAccessTokenEntity,
      AuditEventEntity,
      SessionEntity,
      AuthorizationCodeEntity,
      ConsentEntity,
      LoginDeviceEntity,
      TotpEnrolmentEntity,
      RecoveryCodeEntity,
    ]),
  ],
  controllers: [
    PreflightController,
    AuthorizeController,
    LogoutController,
    ConsentsController,
    TokenController,
    UserInfoController,
    IntrospectionController,
    AccountsController,
    SessionsController,
    AccountSessionsController,
    DiscoveryController,
    MfaController,
  ],
  providers: [
    AuditTrail,
    TenantsRepository,
    TenantLookup,
    ClientLookup,
    AccountsRepository,
    PasswordHasher,
    AccessTokenIssuer,
    UserEvents,
    AccessTokenReader,
    RevocationEvents,
    RefreshTokens,
    TokenMinter,
    loginAttemptsProvider,
    LoginLimits,
    LoginDevices,
    AuthMetrics,
    ClientAddressPipe,
    HostTenantPipe,
    ClientCredentialsGrant,
    PasswordGrant,
    RefreshTokenGrant,
    AuthorizationCodes,
    AuthorizationCodeGrant,
    IdTokenIssuer,
    UserInfo,
    Consents,
    Authorization,
    SignIn,
    SignInSecondStep,
    SignOut,
    DeclaredOrigins,
    DeclaredOriginsCors,
    TokenEndpoint,
    TokenLookup,
    Introspection,
    IntrospectionLimits,
    Revocation,
    SessionsClock,
    SessionsRepository,
    Sessions,
    AccountSessions,
    ApiLogins,
    SessionHolders,
    AccountsService,
    Bootstrap,
    AccessTokenVerifier,
    mfaSecretsProvider,
    MfaRepository,
    MfaFactors,
    SecondFactor,
    { provide: CREDENTIAL_VERIFIER, useExisting: AccessTokenVerifier },
  ],
  exports: [
    AccountSessions,
    LoginDevices,
    Consents,
    CREDENTIAL_VERIFIER,
    RevocationEvents,
    AuditTrail,
    TenantsRepository,
    TenantLookup,
    ClientLookup,
    AccountsRepository,
    PasswordHasher,
    FailoverAttemptStore,
    MfaFactors,
  ],
})
export class OAuthModule {}
