import { OAuthError } from '@gatehouse/contracts';
import type { AccountEntity } from '../accounts/account.entity';
import type { TenantEntity } from '../tenants/tenant.entity';

export const UNVERIFIED_EMAIL = 'The email address of this account is not verified yet. Open the link sent to it, or ask for a new one.';

/** The refusal of a correct password for an account whose tenant requires a verified address. */
export class UnverifiedEmail extends OAuthError {
  constructor(accountId: string) {
    super('invalid_grant', UNVERIFIED_EMAIL, `email of ${accountId} not verified`);
  }
}

/**
 * Checked after the password matched, so the refusal tells nothing to someone without it: the
 * person learns they must verify, with nothing issued until they do.
 */
export function checkEmailVerified(tenant: Pick<TenantEntity, 'requireEmailVerification'> | null, account: AccountEntity): void {
  if (tenant?.requireEmailVerification && !account.emailVerifiedAt) throw new UnverifiedEmail(account.id);
}
