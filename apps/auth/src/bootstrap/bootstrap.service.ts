import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_RUNTIME, type AppRuntime, StartupError } from '@gatehouse/config';
import { APP_LOGGER, type Logger } from '@gatehouse/observability';
import { DataSource } from 'typeorm';
import type { UserRegistered } from '@gatehouse/contracts';
import { AccountsRepository } from '../accounts/accounts.repository';
import { PasswordHasher, passwordWeakness } from '../accounts/passwords';
import { UserEvents } from '../accounts/user-events';
import { AuthSettings } from '../auth.settings';
import { clientSecretMatches, hashClientSecret } from '../clients/client-secret';
import { ClientEntity } from '../clients/client.entity';
import { DOCS_CLIENT_ID, docsClientUris, FIRST_PARTY_CLIENT_ID, FIRST_PARTY_DEFAULT_SCOPES } from '../clients/first-party-client';
import { devSecretFolder } from '../keys/encryption-secret';
import { toIdentityProvider } from '../tenants/identity-provider.dto';
import { TenantEntity } from '../tenants/tenant.entity';
import { TenantsRepository } from '../tenants/tenants.repository';
import { type BootstrapClient, type BootstrapDocument, readBootstrapFile } from './bootstrap-file';
import { declaredIdentityProviderProblems } from './declared-identity-providers';
import { writeDemoDocument } from './demo-document';

/**
 * Applies the declared state at every start, idempotently: tenants and clients are created or
 * brought in line with the file; users are created when missing (their passwords are theirs after
 * that). In development with no file and an empty database, a demo tenant is created instead.
 */
@Injectable()
export class Bootstrap implements OnApplicationBootstrap {
  constructor(
    private readonly settings: AuthSettings,
    @Inject(APP_RUNTIME) private readonly runtime: AppRuntime,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly passwords: PasswordHasher,
    private readonly tenantRecords: TenantsRepository,
    private readonly events: UserEvents,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const document = await this.declared();
    if (document) await this.apply(document);
    await this.ensureFirstPartyClient();
    await this.ensureDocsClient();
  }

  private async declared(): Promise<BootstrapDocument | null> {
    if (this.settings.BOOTSTRAP_FILE) return readBootstrapFile(this.settings.BOOTSTRAP_FILE, this.runtime.env);
    if (this.settings.isProduction || (await this.dataSource.getRepository(TenantEntity).count()) > 0) return null;
    const { document, path } = writeDemoDocument(devSecretFolder(this.settings, this.runtime));
    this.logger.warn({ path }, 'first start without BOOTSTRAP_FILE: created the demo tenant; its credentials are in this file');
    return document;
  }

  async apply(document: BootstrapDocument): Promise<void> {
    const weak = document.users.flatMap((user) => {
      const weakness = passwordWeakness(user.password, user.username);
      return weakness ? [`${user.tenant}/${user.username}: ${weakness}`] : [];
    });
    if (weak.length > 0)
      throw StartupError.of('BOOTSTRAP_FILE declares weak passwords', weak, 'give these users longer, uncommon passwords (12 characters at least)');
    const unusable = await declaredIdentityProviderProblems(document.tenants, this.settings, (issuer, id) => this.tenantRecords.issuerHolder(issuer, id));
    if (unusable.length > 0)
      throw StartupError.of('BOOTSTRAP_FILE declares unusable identity providers', unusable, 'correct or remove these identityProvider entries');
    const tenants = this.dataSource.getRepository(TenantEntity);
    for (const tenant of document.tenants) {
      // The file is the declared state: a tenant it lists without a provider has none, and one
      // without allowed scopes follows the platform's default.
      const identityProvider = tenant.identityProvider ? toIdentityProvider(tenant.identityProvider) : null;
      const allowedScopes = tenant.allowedScopes ?? null;
      const requireEmailVerification = tenant.requireEmailVerification ?? false;
      await tenants.upsert(
        {
          id: tenant.id,
          name: tenant.name,
          plan: tenant.plan ?? 'free',
          status: tenant.status ?? 'active',
          identityProvider,
          allowedScopes,
          requireEmailVerification,
        },
        ['id'],
      );
    }
    for (const client of document.clients) await this.upsertClient(client);
    const declared: UserRegistered[] = [];
    for (const user of document.users) {
      if (!(await this.accounts.findByUsername(user.tenant, user.username))) {
        const passwordHash = await this.passwords.hash(user.password);
        await this.accounts
          .create(user.tenant, { username: user.username, email: user.email, passwordHash, roles: user.roles ?? [] })
          .catch((error: unknown) => {
            // Another instance starting at the same moment created it first: that is the declared state.
            if ((error as { driverError?: { code?: string } }).driverError?.code !== '23505') throw error;
          });
      }
      const account = await this.accounts.findByUsername(user.tenant, user.username);
      if (account) {
        const { id: accountId, username, email, createdAt } = account;
        declared.push({ tenantId: user.tenant, accountId, username, email, registeredAt: createdAt.toISOString() });
      }
    }
    // Their profiles at users, with the account's username and email, like a registered account's.
    this.events.declared(declared);
    this.logger.info({ tenants: document.tenants.length, clients: document.clients.length, users: document.users.length }, 'bootstrap applied');
  }

  private async upsertClient(declared: BootstrapClient): Promise<void> {
    const clients = this.dataSource.getRepository(ClientEntity);
    const existing = await clients.findOneBy({ id: declared.clientId });
    const secretHash =
      declared.secret === undefined
        ? null
        : existing?.secretHash && clientSecretMatches(declared.secret, existing.secretHash)
          ? existing.secretHash
          : hashClientSecret(declared.secret);
    // upsert, not save: two instances starting together on one database must not collide.
    await clients.upsert(
      {
        id: declared.clientId,
        tenantId: declared.tenant ?? null,
        secretHash,
        grantTypes: declared.grantTypes,
        scopes: declared.scopes,
        redirectUris: declared.redirectUris ?? [],
        postLogoutRedirectUris: declared.postLogoutRedirectUris ?? [],
        allowedOrigins: declared.allowedOrigins ?? [],
        audience: declared.audience ?? null,
        tokenFormat: existing?.tokenFormat ?? 'jwt',
        firstParty: declared.firstParty ?? false,
        introspect: declared.introspect ?? false,
        status: existing?.status ?? 'active',
      },
      ['id'],
    );
  }

  private async ensureFirstPartyClient(): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ClientEntity)
      .orIgnore()
      .values({
        id: FIRST_PARTY_CLIENT_ID,
        tenantId: null,
        secretHash: null,
        grantTypes: ['password', 'refresh_token'],
        scopes: FIRST_PARTY_DEFAULT_SCOPES,
        redirectUris: [],
        postLogoutRedirectUris: [],
        allowedOrigins: [],
        audience: null,
        tokenFormat: 'jwt',
        firstParty: true,
        introspect: false,
        status: 'active',
      })
      .execute();
  }

  /** Brought in line with the issuer at every start; an administrator's disabling it stands. */
  private async ensureDocsClient(): Promise<void> {
    const clients = this.dataSource.getRepository(ClientEntity);
    const existing = await clients.findOneBy({ id: DOCS_CLIENT_ID });
    const { redirectUri, origin } = docsClientUris(this.settings.AUTH_ISSUER);
    await clients.upsert(
      {
        id: DOCS_CLIENT_ID,
        tenantId: null,
        secretHash: null,
        grantTypes: ['authorization_code', 'refresh_token'],
        scopes: this.settings.tenantClientScopes,
        redirectUris: [redirectUri],
        postLogoutRedirectUris: [],
        allowedOrigins: [origin],
        audience: null,
        tokenFormat: 'jwt',
        firstParty: true,
        introspect: false,
        status: existing?.status ?? 'active',
      },
      ['id'],
    );
  }
}
