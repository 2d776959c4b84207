import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { OAuthError } from '@gatehouse/contracts';
import type { Repository } from 'typeorm';
import type { LoginDto } from '../accounts/account.dto';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditTrail } from '../audit/audit.service';
import { AuthSettings } from '../auth.settings';
import { authenticateClient, type ClientCredentials } from '../clients/authenticate-client';
import { ClientEntity } from '../clients/client.entity';
import { ClientLookup } from '../clients/client-lookup';
import { mayIntrospectAny } from '../clients/introspection-privilege';
import { FIRST_PARTY_CLIENT_ID } from '../clients/first-party-client';
import { PasswordGrant } from '../oauth/grants/password.grant';
import { RevocationEvents } from '../revocations/revocation-events.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import type { SessionIntrospection } from './session.dto';
import { clearedSessionCookie, cookieValues, sessionCookie } from './session-cookie';
import { SessionsRepository } from './sessions.repository';
import { SessionsClock } from './sessions-clock';

// 256 random bits, base64url without padding: anything else names no session, unread.
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const INACTIVE = { active: false } as const;

/** The row id of a session secret: its SHA-256, so the table never holds what the cookie holds. */
export function sessionIdOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const earlier = (a: Date, b: Date) => (a < b ? a : b);

/**
 * Browser sessions: opened by the same login as `/auth/login` (through the first-party client),
 * read by the gateway through introspection, which slides the idle expiry, and ended by logout.
 */
@Injectable()
export class Sessions {
  private readonly secure: boolean;

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
  ) {
    this.secure = settings.AUTH_ISSUER.startsWith('https://');
  }

  /** Checks the login exactly as `/auth/login` does, opens a session; answers its Set-Cookie value. */
  async start(input: LoginDto, ip: string): Promise<string> {
    const client = await this.clients.findOneByOrFail({ id: FIRST_PARTY_CLIENT_ID });
    const { account, scope } = await this.passwordGrant.authenticate(client, { grant_type: 'password', ...input }, ip);
    const secret = randomBytes(32).toString('base64url');
    const id = sessionIdOf(secret);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.settings.SESSION_TTL * 1000);
    const idleExpiresAt = earlier(new Date(now.getTime() + this.settings.SESSION_IDLE_TTL * 1000), expiresAt);
    await this.sessions.create(account.tenantId, { id, accountId: account.id, clientId: client.id, scope, createdAt: now, lastSeenAt: now, idleExpiresAt, expiresAt });
    await this.audit.record({ type: 'login', outcome: 'success', actor: account.id, tenantId: account.tenantId, clientId: client.id, ip, details: { scope, sid: id } });
    return sessionCookie(this.settings.SESSION_COOKIE_NAME, secret, this.secure);
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
      throw new OAuthError('unauthorized_client', 'This client may not introspect sessions.', `client ${caller.id} is not an introspecting confidential client`);
    }
    if (!SECRET_SHAPE.test(secret)) return INACTIVE;
    const session = await this.sessions.findById(sessionIdOf(secret));
    const now = this.clock.now();
    if (!session || session.revokedAt || session.idleExpiresAt <= now || session.expiresAt <= now) return INACTIVE;
    const tenant = await this.tenants.findActive(session.tenantId);
    const account = tenant ? await this.accounts.findById(session.tenantId, session.accountId) : null;
    if (!account || account.status !== 'active') return INACTIVE;
    const idleExpiresAt = earlier(new Date(now.getTime() + this.settings.SESSION_IDLE_TTL * 1000), session.expiresAt);
    if (!(await this.sessions.touch(session.tenantId, session.id, now, idleExpiresAt))) return INACTIVE;
    return {
      active: true,
      sub: account.id,
      tenant_id: account.tenantId,
      client_id: session.clientId,
      scope: session.scope,
      roles: account.roles,
      sid: session.id,
      exp: seconds(idleExpiresAt),
      iat: seconds(session.createdAt),
      ...(account.email ? { email: account.email } : {}),
    };
  }

  /** The session secrets a Cookie header carries (several when cookies were set for several paths). */
  secretsIn(cookieHeader: string | string[] | undefined): string[] {
    return typeof cookieHeader === 'string' ? cookieValues(cookieHeader, this.settings.SESSION_COOKIE_NAME) : [];
  }

  /** Logout: revokes every session named; answers the Set-Cookie value that clears the cookie. */
  async end(secrets: readonly string[]): Promise<string> {
    for (const secret of secrets.filter((value) => SECRET_SHAPE.test(value))) {
      const session = await this.sessions.findById(sessionIdOf(secret));
      if (!session || session.revokedAt) continue;
      await this.sessions.revoke(session.tenantId, session.id, this.clock.now());
      await this.revocations.session(session.id);
      await this.audit.record({ type: 'logout', outcome: 'success', actor: session.accountId, tenantId: session.tenantId, clientId: session.clientId, details: { sid: session.id } });
    }
    return clearedSessionCookie(this.settings.SESSION_COOKIE_NAME, this.secure);
  }
}
