import { Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import type { AccountEntity } from '../accounts/account.entity';
import { AuditTrail } from '../audit/audit.service';
import { LoginLimits } from '../login-limits/login-limits.service';
import { TenantLookup } from '../tenants/tenant-lookup';
import { type MfaDemand, mfaDemand } from './mfa-policy';
import { MfaSecrets } from './mfa-secrets';
import type { TotpEnrolmentEntity } from './mfa.entities';
import { MfaRepository } from './mfa.repository';
import { hashRecoveryCode, isTotpCode, newRecoveryCode, normaliseRecoveryCode, RECOVERY_CODE_COUNT } from './recovery-codes';
import { matchTotp, newTotpSecret, otpauthUri, base32Encode } from './totp';

export interface TotpOffer {
  secret: string;
  otpauthUri: string;
}

/** Whose factor is checked, from where: the limits count per account and address. */
export interface FactorAttempt {
  account: Pick<AccountEntity, 'id' | 'tenantId' | 'username'>;
  ip: string;
  /** A device credential recognised for the account: its codes are then counted per device, as its passwords are. */
  deviceId?: string;
}

const notEnrolled = () => new DomainError('conflict', 'no confirmed TOTP enrolment', {}, 'Two-step verification is not enabled for this account.');

/**
 * TOTP second factors and their recovery codes. Every code checked goes through the login limits
 * (under its own name per account, so guessing codes is limited like guessing passwords and never
 * spends the password's allowance; per device when a device credential of the account came with it); a TOTP code is accepted once: its step is recorded atomically
 * and that step and every earlier one refused afterwards; a recovery code is spent atomically.
 */
@Injectable()
export class MfaFactors {
  constructor(
    private readonly store: MfaRepository,
    private readonly secrets: MfaSecrets,
    private readonly limits: LoginLimits,
    private readonly tenants: TenantLookup,
    private readonly audit: AuditTrail,
  ) {}

  enrolled(accountId: string): Promise<boolean> {
    return this.store.confirmed(accountId);
  }

  /** What a password login of this account still needs, by its enrolment and its tenant's rule. */
  async demandFor(account: Pick<AccountEntity, 'id' | 'tenantId' | 'roles'>): Promise<MfaDemand> {
    const tenant = await this.tenants.find(account.tenantId);
    return mfaDemand(tenant?.mfaRequired ?? 'off', account.roles, await this.enrolled(account.id));
  }

  /** A new secret, pending until confirmed; replaces an earlier unconfirmed one. */
  async begin(account: Pick<AccountEntity, 'id' | 'tenantId' | 'username'>, issuer: string): Promise<TotpOffer> {
    if (await this.enrolled(account.id)) {
      throw new DomainError('conflict', 'TOTP already confirmed', {}, 'Two-step verification is already enabled; disable it first.');
    }
    const secret = newTotpSecret();
    await this.store.savePending(account.id, account.tenantId, this.secrets.seal(account.id, secret));
    return { secret: base32Encode(secret), otpauthUri: otpauthUri(secret, issuer, account.username) };
  }

  /** The pending enrolment's secret (the page shows it again after a wrong code), or a new one. */
  async offer(account: Pick<AccountEntity, 'id' | 'tenantId' | 'username'>, issuer: string): Promise<TotpOffer> {
    const row = await this.store.enrolment(account.id);
    if (!row) return this.begin(account, issuer);
    if (row.confirmedAt) throw new DomainError('conflict', 'TOTP already confirmed');
    const secret = this.secrets.open(account.id, row.secretSealed);
    return { secret: base32Encode(secret), otpauthUri: otpauthUri(secret, issuer, account.username) };
  }

  /** The first code proves the app holds the secret: enrolment is confirmed and 10 recovery codes issued. */
  async confirm(attempt: FactorAttempt, code: string): Promise<string[]> {
    const { account } = attempt;
    const row = await this.store.enrolment(account.id);
    if (!row || row.confirmedAt) throw new DomainError('conflict', 'no pending TOTP enrolment', {}, 'Start the enrolment first.');
    try {
      await this.checked(attempt, 'confirm', () => this.spendTotp(row, code, true));
    } catch (error) {
      throw error instanceof WrongFactor ? wrongCode() : error;
    }
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const hashes = codes.map((code) => hashRecoveryCode(account.id, normaliseRecoveryCode(code)!));
    await this.store.replaceRecoveryCodes(account.id, account.tenantId, hashes);
    await this.audit.record({
      type: 'mfa.enrolled',
      outcome: 'success',
      actor: account.id,
      tenantId: account.tenantId,
      ip: attempt.ip,
      details: { method: 'totp' },
    });
    return codes;
  }

  /**
   * Checks a second factor of a confirmed enrolment: a TOTP code or an unused recovery code.
   * Throws `rate_limited` while the limits hold; answers false for anything wrong, spent or replayed.
   */
  async verify(attempt: FactorAttempt, code: string): Promise<boolean> {
    const row = await this.store.enrolment(attempt.account.id);
    if (!row?.confirmedAt) throw notEnrolled();
    try {
      await this.checked(attempt, 'login', () => (isTotpCode(code) ? this.spendTotp(row, code, false) : this.spendRecovery(attempt.account.id, code)));
      return true;
    } catch (error) {
      if (error instanceof WrongFactor) return false;
      throw error;
    }
  }

  /** Disabling needs a fresh factor; the enrolment and its recovery codes go. */
  async disable(attempt: FactorAttempt, code: string): Promise<void> {
    if (!(await this.verify(attempt, code))) throw wrongCode();
    await this.remove(attempt.account.id);
    await this.audit.record({ type: 'mfa.disabled', outcome: 'success', actor: attempt.account.id, tenantId: attempt.account.tenantId, ip: attempt.ip });
  }

  /** Removes an account's enrolment and recovery codes; true when there was one. */
  remove(accountId: string): Promise<boolean> {
    return this.store.remove(accountId);
  }

  private async checked(attempt: FactorAttempt, purpose: string, spend: () => Promise<boolean>): Promise<void> {
    // The limits' username slot holds the account's own second-factor name: its counters are apart from the password's.
    const limited = { ip: attempt.ip, tenantId: attempt.account.tenantId, username: `mfa:${attempt.account.id}`, deviceId: attempt.deviceId };
    await this.limits.admit(limited);
    if (await spend()) {
      await this.limits.succeeded(limited);
      return;
    }
    const failures = await this.limits.failed(limited);
    await this.audit.record({
      type: 'mfa.failed',
      outcome: 'failure',
      actor: attempt.account.id,
      tenantId: attempt.account.tenantId,
      ip: attempt.ip,
      details: { purpose, failures },
    });
    throw new WrongFactor();
  }

  /** Accepts a code only for a step later than the last one used, recorded in the same statement. */
  private async spendTotp(row: TotpEnrolmentEntity, code: string, confirming: boolean): Promise<boolean> {
    const step = matchTotp(this.secrets.open(row.accountId, row.secretSealed), code, Date.now());
    return step !== null && this.store.spendStep(row, step, confirming);
  }

  private async spendRecovery(accountId: string, typed: string): Promise<boolean> {
    const normalised = normaliseRecoveryCode(typed);
    return normalised !== null && this.store.spendRecoveryCode(accountId, hashRecoveryCode(accountId, normalised));
  }
}

class WrongFactor extends Error {}

export const wrongCode = () => new DomainError('invalid_otp', 'wrong, expired or replayed second factor');
