import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type AuthenticationMethod, OAuthError } from '@gatehouse/contracts';
import { type AfterPassword, SECOND_FACTOR_WORDS, SecondFactor } from '../mfa/second-factor.service';
import { authenticationClaims } from '../tokens/access-token.issuer';
import type { Repository } from 'typeorm';
import type { LoginDto } from '../accounts/account.dto';
import type { AccountEntity } from '../accounts/account.entity';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditTrail } from '../audit/audit.service';
import { AuthSettings } from '../auth.settings';
import { authenticateClient, type ClientCredentials } from '../clients/authenticate-client';
import { ClientEntity } from '../clients/client.entity';
import { ClientLookup } from '../clients/client-lookup';
import { mayIntrospectAny } from '../clients/introspection-privilege';
import { FIRST_PARTY_CLIENT_ID } from '../clients/first-party-client';
import { DeviceCookie } from '../login-limits/device-cookie';
import { type KnownDevice, LoginDevices } from '../login-limits/login-devices.service';
import { PasswordGrant } from '../oauth/grants/password.grant';
import { RevocationEvents } from '../revocations/revocation-events.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import type { SessionIntrospection } from './session.dto';
import { clearedSessionCookie, cookieValues, sessionCookie } from './session-cookie';
import type { SessionEntity } from './session.entity';
import { SessionsRepository } from './sessions.repository';
import { SessionsClock } from './sessions-clock';

// 256 random bits, base64url without padding: anything else names no session, unread.
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const INACTIVE = { active: false } as const;

/** The row id of a session secret: its SHA-256, so the table never holds what the cookie holds. */
export function sessionIdOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The answer of `POST /auth/session` to an enrolled account that sent no code. */
export interface MfaChallenge {
  mfa_required: true;
  mfa_token: string;
  expires_in: number;
  methods: ['otp', 'recovery_code'];
}

/** Where a login comes from: the browser's User-Agent and the device credential it presents. */
export interface LoginOrigin {
  userAgent?: string;
  device?: string;
}

const USER_AGENT_MAX = 512;

/** A live session and the account it speaks for. */
export interface LiveSession {
  session: SessionEntity;
  account: AccountEntity;
}

type OpenedSession = LiveSession & { secret: string; device: string };

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const earlier = (a: Date, b: Date) => (a < b ? a : b);

/**
 * Browser sessions: opened by the same login as `/auth/login` (through the first-party client),
 * read by the gateway through introspection, which slides the idle expiry, and ended by logout.
 */
@Injectable()
export class Sessions {
  private readonly secure: boolean;
  readonly deviceCookie: DeviceCookie;

  constructor(
    private readonly settings: AuthSettings,
    private readonly clock: SessionsClock,
    private readonly sessions: SessionsRepository,
    private readonly accounts: AccountsRepository,
    private readonly tenants: TenantsRepository,
    private readonly passwordGrant: PasswordGrant,
    private readonly audit: AuditTrail,
    @InjectRepository(ClientEntity) private readonly clients: Repository<ClientEntity>,
    private readonly clientLookup: ClientLookup,
    private readonly revocations: RevocationEvents,
    private readonly secondFactor: SecondFactor,
    private readonly devices: LoginDevices,
  ) {
    this.secure = settings.AUTH_ISSUER.startsWith('https://');
    this.deviceCookie = new DeviceCookie(this.secure, settings.LOGIN_DEVICE_TTL);
  }

  /**
   * Checks the login exactly as `/auth/login` does, opens a session; answers its Set-Cookie values
   * (the session cookie and the device cookie), or the challenge of an enrolled account that sent
   * no code. An account that must enrol a second factor first is refused: enrolment happens on the
   * sign-in page.
   */
  async start(input: LoginDto, ip: string, origin: LoginOrigin = {}): Promise<{ cookies: string[] } | MfaChallenge> {
    const opened = await this.open(input, ip, origin);
    if ('secret' in opened) return { cookies: this.cookiesOf(opened) };
    if (opened.awaiting === 'enrol') throw new OAuthError('invalid_grant', SECOND_FACTOR_WORDS.enrol, 'second factor enrolment required');
    return { mfa_required: true, mfa_token: opened.token, expires_in: opened.expiresIn, methods: ['otp', 'recovery_code'] };
  }

  /** The second step of `start`: the code against the challenge's token opens the session. */
  async startWithCode(token: string, code: string, ip: string, origin: LoginOrigin = {}): Promise<string[]> {
    const client = await this.clients.findOneByOrFail({ id: FIRST_PARTY_CLIENT_ID });
    const { account, scope, amr, known } = await this.secondFactor.complete(token, code, ip, origin.device);
    return this.cookiesOf(await this.create(client, account, scope, amr, ip, origin, known));
  }

  /** The session cookie and the device cookie of a login just completed. */
  private cookiesOf(opened: OpenedSession): string[] {
    return [sessionCookie(this.settings.SESSION_COOKIE_NAME, opened.secret, this.secure), this.deviceCookie.set(opened.device)];
  }

  /**
   * Checks the login exactly as `/auth/login` does (login limits, one answer for every failure)
   * and opens a session through the first-party client. The sign-in
   * page holds it in its own cookie; the gateway's session cookie holds the secret of `start`.
   * Answers its secret, its row, the account and the device credential for the device cookie.
   */
  async open(input: LoginDto, ip: string, origin: LoginOrigin = {}, requireMfa = false): Promise<OpenedSession | Extract<AfterPassword, { kind: 'pending' }>> {
    const client = await this.clients.findOneByOrFail({ id: FIRST_PARTY_CLIENT_ID });
    const form = { grant_type: 'password', ...input, device_token: input.device_token ?? origin.device };
    const { account, scope, known } = await this.passwordGrant.authenticate(client, form, ip);
    const second = await this.secondFactor.afterPassword(account, scope, input.otp, { ip, deviceId: known?.id }, requireMfa);
    if (second.kind === 'pending') return second;
    return this.create(client, account, scope, second.amr, ip, origin, known);
  }

  /**
   * Opens a session for an account that has given every factor asked of it (`amr`), and remembers
   * the device it came from (`known`, recognised for the account): the device credential belongs
   * to a completed login only.
   */
  async create(
    client: ClientEntity,
    account: AccountEntity,
    scope: string,
    amr: string[],
    ip: string,
    origin: LoginOrigin,
    known: KnownDevice | undefined,
  ): Promise<OpenedSession> {
    const device = await this.devices.remember(account, known);
    const secret = randomBytes(32).toString('base64url');
    const id = sessionIdOf(secret);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.settings.SESSION_TTL * 1000);
    const idleExpiresAt = earlier(new Date(now.getTime() + this.settings.SESSION_IDLE_TTL * 1000), expiresAt);
    const userAgent = origin.userAgent?.slice(0, USER_AGENT_MAX) ?? null;
    const session = { id, accountId: account.id, clientId: client.id, scope, amr, createdAt: now, lastSeenAt: now, idleExpiresAt, expiresAt, userAgent, ip };
    await this.sessions.create(account.tenantId, session);
    await this.audit.record({
      type: 'login',
      outcome: 'success',
      actor: account.id,
      tenantId: account.tenantId,
      clientId: client.id,
      ip,
      details: { scope, sid: id, amr },
    });
    return { secret, device, session: { ...session, tenantId: account.tenantId, revokedAt: null }, account };
  }

  /**
   * The session a secret opens and its account as they stand now, with the idle expiry slid
   * forward; null when the session is unknown, revoked or expired, or its account disabled or
   * tenant suspended.
   */
  async resume(secret: string): Promise<LiveSession | null> {
    if (!SECRET_SHAPE.test(secret)) return null;
    const live = await this.live(sessionIdOf(secret));
    if (!live) return null;
    const now = this.clock.now();
    const idleExpiresAt = earlier(new Date(now.getTime() + this.settings.SESSION_IDLE_TTL * 1000), live.session.expiresAt);
    if (!(await this.sessions.touch(live.session.tenantId, live.session.id, now, idleExpiresAt))) return null;
    return { session: { ...live.session, idleExpiresAt }, account: live.account };
  }

  /** Like `resume`, by session id and without sliding: whether what a session issued may still be redeemed. */
  async live(id: string): Promise<LiveSession | null> {
    const session = await this.sessions.findById(id);
    const now = this.clock.now();
    if (!session || session.revokedAt || session.idleExpiresAt <= now || session.expiresAt <= now) return null;
    const tenant = await this.tenants.findActive(session.tenantId);
    const account = tenant ? await this.accounts.findById(session.tenantId, session.accountId) : null;
    if (!account || account.status !== 'active') return null;
    return { session, account };
  }

  /**
   * For the gateway: only a confidential client marked `introspect` may ask. A session that is
   * unknown, revoked or expired, or whose account is disabled or tenant suspended, is exactly
   * `{"active":false}`; a live one has its idle expiry slid forward, and `exp` tells how long it
   * lives if nothing else happens.
   */
  async introspect(credentials: ClientCredentials, secret: string): Promise<SessionIntrospection> {
    const caller = await authenticateClient(this.clientLookup, credentials);
    if (!mayIntrospectAny(caller) || !caller.confidential) {
      throw new OAuthError(
        'unauthorized_client',
        'This client may not introspect sessions.',
        `client ${caller.id} is not an introspecting confidential client`,
      );
    }
    const live = await this.resume(secret);
    if (!live) return INACTIVE;
    const { session, account } = live;
    return {
      active: true,
      sub: account.id,
      tenant_id: account.tenantId,
      client_id: session.clientId,
      scope: session.scope,
      roles: account.roles,
      sid: session.id,
      exp: seconds(session.idleExpiresAt),
      iat: seconds(session.createdAt),
      ...(account.email ? { email: account.email } : {}),
      ...authenticationClaims({ amr: session.amr as AuthenticationMethod[], authTime: seconds(session.createdAt) }),
    };
  }

  /** The session secrets a Cookie header carries (several when cookies were set for several paths). */
  secretsIn(cookieHeader: string | string[] | undefined): string[] {
    return typeof cookieHeader === 'string' ? cookieValues(cookieHeader, this.settings.SESSION_COOKIE_NAME) : [];
  }

  /** Logout: revokes every session named; answers the Set-Cookie value that clears the cookie. */
  async end(secrets: readonly string[]): Promise<string> {
    for (const secret of secrets.filter((value) => SECRET_SHAPE.test(value))) await this.endById(sessionIdOf(secret));
    return clearedSessionCookie(this.settings.SESSION_COOKIE_NAME, this.secure);
  }

  /** Revokes one session by id, audited; answers the session it ended, or null when none was live. */
  async endById(id: string): Promise<SessionEntity | null> {
    const session = await this.sessions.findById(id);
    if (!session || session.revokedAt) return null;
    await this.sessions.revoke(session.tenantId, session.id, this.clock.now());
    // Every gateway refuses what this session's cookie and sign-in admitted, within the poll interval.
    await this.revocations.session(session.id);
    await this.audit.record({
      type: 'logout',
      outcome: 'success',
      actor: session.accountId,
      tenantId: session.tenantId,
      clientId: session.clientId,
      details: { sid: session.id },
    });
    return session;
  }
}
