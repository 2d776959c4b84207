import { Injectable } from '@nestjs/common';
import { type AuthenticationMethod, OAuthError } from '@gatehouse/contracts';
import type { AccountEntity } from '../accounts/account.entity';
import { AccountsRepository } from '../accounts/accounts.repository';
import { type KnownDevice, LoginDevices } from '../login-limits/login-devices.service';
import { MfaFactors } from './mfa-factors.service';
import { MfaSecrets } from './mfa-secrets';

/** After the password: signed in (with what), or waiting for a second factor (with its token). */
export type AfterPassword = { kind: 'done'; amr: AuthenticationMethod[] } | { kind: 'pending'; awaiting: 'code' | 'enrol'; token: string; expiresIn: number };

/** Where a login's code comes from: the address, and the device recognised for the account, if any. */
export interface LoginFrom {
  ip: string;
  deviceId?: string;
}

/** A pending login read back: its account, scope and the device recognised for the account. */
export interface PendingLogin {
  account: AccountEntity;
  scope: string;
  known: KnownDevice | undefined;
}

const seconds = () => Math.floor(Date.now() / 1000);

/** Said to API clients (RFC 6749 `invalid_grant` descriptions); the pages say it in their own words. */
export const SECOND_FACTOR_WORDS = {
  wrong: 'The one-time code is wrong, expired or already used.',
  needed: 'This account uses two-step verification: send the current one-time code (or a recovery code) as otp.',
  enrol: 'This organisation requires two-step verification: enrol a second factor through the sign-in page first.',
  expired: 'The sign-in has expired. Enter your password again.',
} as const;

/**
 * The second step of every password login. An enrolled person gives a code (with the password, or
 * later against the pending login's token); one whose tenant requires a second factor, or whose
 * client asked for it (`acr_values`), and has none, must enrol one first.
 */
@Injectable()
export class SecondFactor {
  constructor(
    private readonly factors: MfaFactors,
    private readonly secrets: MfaSecrets,
    private readonly accounts: AccountsRepository,
    private readonly devices: LoginDevices,
  ) {}

  /**
   * `code`: sent with the password, if any. A wrong one is `invalid_grant`, counted by the limits:
   * per device when the login came with a device credential of the account (`deviceId`).
   */
  async afterPassword(account: AccountEntity, scope: string, code: string | undefined, from: LoginFrom, requireMfa = false): Promise<AfterPassword> {
    const demand = await this.factors.demandFor(account);
    const needed = demand === 'none' && requireMfa ? 'enrol' : demand;
    if (needed === 'none') return { kind: 'done', amr: ['pwd'] };
    if (needed === 'code' && code !== undefined) {
      if (!(await this.factors.verify({ account, ...from }, code))) throw new OAuthError('invalid_grant', SECOND_FACTOR_WORDS.wrong, 'second factor refused');
      return { kind: 'done', amr: ['pwd', 'otp'] };
    }
    const pending = this.secrets.pendingLogins.sign(
      { accountId: account.id, tenantId: account.tenantId, authTime: seconds(), awaiting: needed, scope },
      seconds(),
    );
    return { kind: 'pending', awaiting: needed, ...pending };
  }

  /**
   * A pending login and its account, still active; `invalid_grant` when expired, forged or not
   * awaiting `awaiting`. With the device credential the browser or client presents, the device
   * recognised for that account, if any.
   */
  async pending(token: unknown, awaiting: 'code' | 'enrol' | 'done', device?: string): Promise<PendingLogin> {
    const login = this.secrets.pendingLogins.read(token, seconds());
    if (!login || login.awaiting !== awaiting)
      throw new OAuthError('invalid_grant', SECOND_FACTOR_WORDS.expired, 'pending login unreadable or of another step');
    const account = await this.accounts.findById(login.tenantId, login.accountId);
    if (!account || account.status !== 'active') throw new OAuthError('invalid_grant', SECOND_FACTOR_WORDS.expired, 'account no longer active');
    const known = await this.devices.recognise(account.tenantId, account.username, device);
    return { account, scope: login.scope, known };
  }

  /** The code against a pending login: the account and scope to open a session for, and the device it came from. */
  async complete(token: unknown, code: string, ip: string, device?: string): Promise<PendingLogin & { amr: AuthenticationMethod[] }> {
    const { account, scope, known } = await this.pending(token, 'code', device);
    if (!(await this.factors.verify({ account, ip, deviceId: known?.id }, code)))
      throw new OAuthError('invalid_grant', SECOND_FACTOR_WORDS.wrong, 'second factor refused');
    return { account, scope, known, amr: ['pwd', 'otp'] };
  }

  /** After an enrolment within the sign-in: both factors given, the session still to open. */
  ready(account: AccountEntity, scope: string): string {
    return this.secrets.pendingLogins.sign({ accountId: account.id, tenantId: account.tenantId, authTime: seconds(), awaiting: 'done', scope }, seconds())
      .token;
  }
}
