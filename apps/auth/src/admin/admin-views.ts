import type { AccountEntity } from '../accounts/account.entity';
import type { ConsentEntity } from '../authorize/consent.entity';
import type { ClientEntity } from '../clients/client.entity';
import type { SigningKeyEntity } from '../keys/signing-key.entity';
import type { TenantEntity } from '../tenants/tenant.entity';

/** What the Admin API shows of each record: never a hash, a secret or a private key. */
export const tenantView = (tenant: TenantEntity) => ({
  id: tenant.id,
  name: tenant.name,
  status: tenant.status,
  plan: tenant.plan,
  identityProvider: tenant.identityProvider,
  allowedScopes: tenant.allowedScopes,
  requireEmailVerification: tenant.requireEmailVerification,
  mfaRequired: tenant.mfaRequired,
  createdAt: tenant.createdAt.toISOString(),
});

export const clientView = (client: ClientEntity) => ({
  clientId: client.id,
  tenant: client.tenantId,
  confidential: client.secretHash !== null,
  public: client.secretHash === null,
  grantTypes: client.grantTypes,
  scopes: client.scopes,
  redirectUris: client.redirectUris,
  postLogoutRedirectUris: client.postLogoutRedirectUris,
  allowedOrigins: client.allowedOrigins,
  audience: client.audience,
  firstParty: client.firstParty,
  introspect: client.introspect,
  status: client.status,
  secretRotatedAt: client.secretRotatedAt?.toISOString() ?? null,
  createdAt: client.createdAt.toISOString(),
});

export const userView = (account: AccountEntity) => ({
  id: account.id,
  tenant: account.tenantId,
  username: account.username,
  email: account.email,
  roles: account.roles,
  status: account.status,
  createdAt: account.createdAt.toISOString(),
});

export const keyView = (key: SigningKeyEntity) => ({
  kid: key.kid,
  alg: key.alg,
  status: key.status,
  createdAt: key.createdAt.toISOString(),
  activatesAt: key.activatesAt.toISOString(),
  retiredAt: key.retiredAt?.toISOString() ?? null,
  unpublishAt: key.unpublishAt?.toISOString() ?? null,
});

export const consentView = (consent: ConsentEntity) => ({
  clientId: consent.clientId,
  scopes: consent.scopes,
  grantedAt: consent.grantedAt.toISOString(),
});
export type TenantView = ReturnType<typeof tenantView>;
export type ClientView = ReturnType<typeof clientView>;
export type UserView = ReturnType<typeof userView>;
export type KeyView = ReturnType<typeof keyView>;
export type ConsentView = ReturnType<typeof consentView>;
