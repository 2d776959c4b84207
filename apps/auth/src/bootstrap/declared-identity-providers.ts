import { toIdentityProvider } from '../tenants/identity-provider.dto';
import { identityProviderProblem, issuerKey, type PlatformIdentity } from '../tenants/identity-provider.rules';
import type { BootstrapTenant } from './bootstrap-file';

/** Which tenant, other than the one named, holds an issuer in the database. */
export type IssuerHolder = (issuer: string, exceptTenantId: string) => Promise<string | null>;

/**
 * The file's identity providers measured against the rules the Admin API applies: not the
 * platform's own issuer, https keys in production, one tenant per issuer (within the file and
 * against tenants the file does not declare). Every problem is listed, so one start shows them all.
 */
export async function declaredIdentityProviderProblems(tenants: BootstrapTenant[], platform: PlatformIdentity, holderOf: IssuerHolder): Promise<string[]> {
  const problems: string[] = [];
  const declaredBy = new Map<string, string>();
  for (const tenant of tenants) {
    if (!tenant.identityProvider) continue;
    const provider = toIdentityProvider(tenant.identityProvider);
    const problem = identityProviderProblem(provider, platform);
    if (problem) problems.push(`${tenant.id}: ${problem}`);
    const key = issuerKey(provider.issuer);
    const first = declaredBy.get(key);
    if (first) problems.push(`${tenant.id}: issuer ${provider.issuer} is already declared by ${first}`);
    else declaredBy.set(key, tenant.id);
    const holder = await holderOf(provider.issuer, tenant.id);
    // A holder the file also declares is settled by the file itself (checked just above).
    if (holder && !tenants.some((declared) => declared.id === holder))
      problems.push(`${tenant.id}: issuer ${provider.issuer} is the identity provider of tenant ${holder}`);
  }
  return problems;
}
