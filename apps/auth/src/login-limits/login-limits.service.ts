import { Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import { FailoverAttemptStore } from '@gatehouse/throttling';
import { AuditTrail } from '../audit/audit.service';
import { AuthMetrics } from '../metrics/auth-metrics';
import { AuthSettings } from '../auth.settings';
import { type DelaySchedule, pairDelayMs, retryAfterSeconds } from './login-delay';
import { type LoginAttempt, type LoginKeys, loginKeys } from './login-keys';

/** How many failures the counters hold after one more; goes into the audit trail. */
export interface FailureCounts {
  ip: number;
  /** Without a device credential: the pair's and the account's counts. */
  pair?: number;
  account?: number;
  /** With one: the device's count, and nothing toward the account. */
  device?: number;
}

// Refusals are audited at most once a minute per address and account: an attack is recorded
// without letting it write a row per request.
const REFUSAL_AUDIT_WINDOW_MS = 60_000;

/**
 * Brute-force defence of every password login (the password grant, `/auth/login`, `/auth/session`,
 * the sign-in page). Rate limits per address and per address-and-username. An attempt that
 * presents a device credential recognised for the account (see LoginDevices) is then counted per
 * device only: a doubling delay for that device past a threshold of failures. Any other attempt
 * gets the doubling delay for its address-and-account pair, and counts toward a cap per account
 * over all addresses, the one limit that holds the account everywhere (audited) - everywhere but
 * on the devices the person already logged in from, so an attacker cannot lock them out. Accounts
 * are named, never looked up, so unknown ones are treated alike.
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
   * Counts the attempt, then refuses it with 429 while a rate limit or a delay holds (audited).
   * Runs before the tenant, the account or the password is looked at: the refusal is the same for
   * any account, and a refused guess costs no password hashing.
   */
  async admit(attempt: LoginAttempt): Promise<void> {
    const keys = loginKeys(attempt);
    const { settings } = this;
    const [[ip, pair], held] = await Promise.all([
      this.store.hit([
        { key: keys.ipRate, windowMs: settings.LOGIN_IP_WINDOW * 1000 },
        { key: keys.pairRate, windowMs: settings.LOGIN_PAIR_WINDOW * 1000 },
      ]),
      this.store.blockedFor(this.blocksOf(attempt, keys).map(([, key]) => key)),
    ]);
    const waits: [string, number][] = [
      ['address rate', ip.count > settings.LOGIN_IP_LIMIT ? ip.resetInMs : 0],
      ['address-and-username rate', pair.count > settings.LOGIN_PAIR_LIMIT ? pair.resetInMs : 0],
      ...this.blocksOf(attempt, keys).map(([name], index): [string, number] => [name, held[index] ?? 0]),
    ];
    const holding = waits.filter(([, ms]) => ms > 0);
    if (holding.length === 0) return;
    // The longest wait, so that a client honouring Retry-After is not refused by another limit.
    const seconds = retryAfterSeconds(Math.max(...holding.map(([, ms]) => ms)));
    const limits = holding.map(([name]) => name);
    this.metrics.loginRefused();
    await this.auditRefusal(attempt, keys, limits, seconds);
    throw new DomainError('rate_limited', `login refused: ${limits.join(', ')}; retry after ${seconds}s`, { 'retry-after': String(seconds) });
  }

  /** Counts a failed login: per device with a device credential, else per pair and per account. */
  async failed(attempt: LoginAttempt): Promise<FailureCounts> {
    const keys = loginKeys(attempt);
    const failureWindowMs = this.settings.LOGIN_FAILURE_WINDOW * 1000;
    if (attempt.deviceId !== undefined) {
      const [device, ip] = await this.store.hit([
        { key: keys.deviceFailures, windowMs: failureWindowMs, sliding: true },
        { key: keys.ipFailures, windowMs: failureWindowMs, sliding: true },
      ]);
      const delay = pairDelayMs(device.count, this.schedule);
      if (delay > 0) await this.store.block(keys.deviceBlock, delay);
      return { ip: ip.count, device: device.count };
    }
    const [pair, account, ip] = await this.store.hit([
      { key: keys.pairFailures, windowMs: failureWindowMs, sliding: true },
      { key: keys.accountFailures, windowMs: this.settings.LOGIN_ACCOUNT_CAP_WINDOW * 1000 },
      { key: keys.ipFailures, windowMs: failureWindowMs, sliding: true },
    ]);
    const delay = pairDelayMs(pair.count, this.schedule);
    if (delay > 0) await this.store.block(keys.pairBlock, delay);
    if (account.count >= this.settings.LOGIN_ACCOUNT_FAILURE_CAP) {
      await this.store.block(keys.accountBlock, this.settings.LOGIN_ACCOUNT_CAP_DELAY * 1000);
      // Once per window: later failures (after the hold lapses) renew the hold without flooding the trail.
      if (account.count === this.settings.LOGIN_ACCOUNT_FAILURE_CAP) await this.auditCap(attempt, account.count);
    }
    return { ip: ip.count, pair: pair.count, account: account.count };
  }

  /** A success forgets the failures and delay of the pair and of the device; the account's count stays. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    const keys = loginKeys(attempt);
    const device = attempt.deviceId !== undefined ? [keys.deviceFailures, keys.deviceBlock] : [];
    await this.store.clear([keys.pairFailures, keys.pairBlock, ...device]);
  }

  /** The holds that apply: the device's alone when one is recognised, else the pair's and the account's. */
  private blocksOf(attempt: LoginAttempt, keys: LoginKeys): [string, string][] {
    if (attempt.deviceId !== undefined) return [['device delay', keys.deviceBlock]];
    return [
      ['address-and-account delay', keys.pairBlock],
      ['account cap', keys.accountBlock],
    ];
  }

  private async auditRefusal(attempt: LoginAttempt, keys: LoginKeys, limits: string[], retryAfter: number): Promise<void> {
    const [seen] = await this.store.hit([{ key: keys.refusalAudited, windowMs: REFUSAL_AUDIT_WINDOW_MS }]);
    if (seen.count !== 1) return;
    await this.audit.record({
      type: 'login.refused',
      outcome: 'failure',
      tenantId: attempt.tenantId,
      ip: attempt.ip,
      details: { username: attempt.username.slice(0, 256), limits, retryAfter, device: attempt.deviceId !== undefined },
    });
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
