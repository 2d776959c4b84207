import { Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import { FailoverAttemptStore } from '@gatehouse/throttling';
import { AuditTrail } from '../audit/audit.service';
import { AuthMetrics } from '../metrics/auth-metrics';
import { AuthSettings } from '../auth.settings';
import { type DelaySchedule, pairDelayMs, retryAfterSeconds } from './login-delay';
import { type LoginAttempt, loginKeys } from './login-keys';

/** How many failures the counters hold after one more; goes into the audit trail. */
export interface FailureCounts {
  pair: number;
  account: number;
  ip: number;
}

/**
 * Brute-force defence of every password login (the password grant, `/auth/login`, `/auth/session`).
 * Rate limits per address and per address-and-username; past a threshold of failures, a doubling
 * delay for that address-and-account pair only, so an attacker never locks the real user out from
 * another address; and a cap per account over all addresses, the one limit that holds the account
 * everywhere (audited). Accounts are named, never looked up, so unknown ones are treated alike.
 */
@Injectable()
export class LoginLimits {
  private readonly schedule: DelaySchedule;

  constructor(
    private readonly settings: AuthSettings,
    private readonly store: FailoverAttemptStore,
    private readonly audit: AuditTrail,
    private readonly metrics: AuthMetrics,
  ) {
    this.schedule = {
      threshold: settings.LOGIN_FAILURE_THRESHOLD,
      baseMs: settings.LOGIN_DELAY_BASE * 1000,
      maxMs: settings.LOGIN_DELAY_MAX * 1000,
    };
  }

  /**
   * Counts the attempt, then refuses it with 429 while a rate limit or a delay holds. Runs before
   * the tenant, the account or the password is looked at: the refusal is the same for any account,
   * and a refused guess costs no password hashing.
   */
  async admit(attempt: LoginAttempt): Promise<void> {
    const keys = loginKeys(attempt);
    const { settings } = this;
    const [[ip, pair], [pairBlock, accountBlock]] = await Promise.all([
      this.store.hit([
        { key: keys.ipRate, windowMs: settings.LOGIN_IP_WINDOW * 1000 },
        { key: keys.pairRate, windowMs: settings.LOGIN_PAIR_WINDOW * 1000 },
      ]),
      this.store.blockedFor([keys.pairBlock, keys.accountBlock]),
    ]);
    const waits: [string, number][] = [
      ['address rate', ip.count > settings.LOGIN_IP_LIMIT ? ip.resetInMs : 0],
      ['address-and-username rate', pair.count > settings.LOGIN_PAIR_LIMIT ? pair.resetInMs : 0],
      ['address-and-account delay', pairBlock],
      ['account cap', accountBlock],
    ];
    const holding = waits.filter(([, ms]) => ms > 0);
    if (holding.length === 0) return;
    // The longest wait, so that a client honouring Retry-After is not refused by another limit.
    const seconds = retryAfterSeconds(Math.max(...holding.map(([, ms]) => ms)));
    const reason = `login refused: ${holding.map(([name]) => name).join(', ')}; retry after ${seconds}s`;
    this.metrics.loginRefused();
    throw new DomainError('rate_limited', reason, { 'retry-after': String(seconds) });
  }

  /** Counts a failed login; delays the pair past the threshold and holds the account at the cap. */
  async failed(attempt: LoginAttempt): Promise<FailureCounts> {
    const keys = loginKeys(attempt);
    const { settings } = this;
    const failureWindowMs = settings.LOGIN_FAILURE_WINDOW * 1000;
    const [pair, account, ip] = await this.store.hit([
      { key: keys.pairFailures, windowMs: failureWindowMs, sliding: true },
      { key: keys.accountFailures, windowMs: settings.LOGIN_ACCOUNT_CAP_WINDOW * 1000 },
      { key: keys.ipFailures, windowMs: failureWindowMs, sliding: true },
    ]);
    const delay = pairDelayMs(pair.count, this.schedule);
    if (delay > 0) await this.store.block(keys.pairBlock, delay);
    if (account.count >= settings.LOGIN_ACCOUNT_FAILURE_CAP) {
      await this.store.block(keys.accountBlock, settings.LOGIN_ACCOUNT_CAP_DELAY * 1000);
      // Once per window: later failures (after the hold lapses) renew the hold without flooding the trail.
      if (account.count === settings.LOGIN_ACCOUNT_FAILURE_CAP) await this.auditCap(attempt, account.count);
    }
    return { pair: pair.count, account: account.count, ip: ip.count };
  }

  /** A success forgets the pair's failures and its delay; the account's count stays. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    const keys = loginKeys(attempt);
    await this.store.clear([keys.pairFailures, keys.pairBlock]);
  }

  private auditCap(attempt: LoginAttempt, failures: number): Promise<void> {
    return this.audit.record({
      type: 'login.account_capped',
      outcome: 'failure',
      tenantId: attempt.tenantId,
      ip: attempt.ip,
      details: {
        username: attempt.username.slice(0, 256),
        failures,
        windowSeconds: this.settings.LOGIN_ACCOUNT_CAP_WINDOW,
        heldSeconds: this.settings.LOGIN_ACCOUNT_CAP_DELAY,
      },
    });
  }
}
