import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Seconds a password login waits for its second factor (or the enrolment of one). */
export const PENDING_LOGIN_TTL = 300;

/** A login past its password, waiting for the second factor: signed, never stored, not a session. */
export interface PendingLogin {
  accountId: string;
  tenantId: string;
  /** Seconds since the epoch the password was checked: the session's `auth_time`. */
  authTime: number;
  /**
   * What is awaited: the code of an enrolled person, the enrolment of one who must, or nothing
   * (both factors given, the session not opened yet: the page showing recovery codes carries it).
   */
  awaiting: 'code' | 'enrol' | 'done';
  /** The scope the password login was granted. */
  scope: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

interface Wire {
  a: string;
  t: string;
  at: number;
  w: 'code' | 'enrol' | 'done';
  s: string;
  exp: number;
  n: string;
}

const PREFIX = 'mfa1';

/**
 * `mfa1.<payload>.<HMAC-SHA256>`, base64url. The key comes from the secret that seals the TOTP
 * secrets, under its own HKDF label. It proves the password was right minutes ago and nothing more:
 * no cookie or token is issued until the second factor is given.
 */
export class PendingLogins {
  constructor(private readonly key: Buffer) {}

  sign(login: Omit<PendingLogin, 'expiresAt'>, nowSeconds: number): { token: string; expiresIn: number } {
    const wire: Wire = {
      a: login.accountId,
      t: login.tenantId,
      at: login.authTime,
      w: login.awaiting,
      s: login.scope,
      exp: nowSeconds + PENDING_LOGIN_TTL,
      n: randomBytes(8).toString('base64url'),
    };
    const payload = Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
    return { token: `${PREFIX}.${payload}.${this.mac(payload)}`, expiresIn: PENDING_LOGIN_TTL };
  }

  /** The pending login a token stands for, or null when it is malformed, forged or expired. */
  read(token: unknown, nowSeconds: number): PendingLogin | null {
    if (typeof token !== 'string' || token.length > 1024) return null;
    const [prefix, payload, mac, ...rest] = token.split('.');
    if (prefix !== PREFIX || !payload || !mac || rest.length > 0) return null;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    const wire = parse(payload);
    if (!wire || wire.exp <= nowSeconds) return null;
    return { accountId: wire.a, tenantId: wire.t, authTime: wire.at, awaiting: wire.w, scope: wire.s, expiresAt: wire.exp };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(`${PREFIX}.${payload}`, 'utf8').digest('base64url');
  }
}

function parse(payload: string): Wire | null {
  try {
    const wire = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Wire>;
    const ok =
      typeof wire.a === 'string' &&
      typeof wire.t === 'string' &&
      typeof wire.at === 'number' &&
      typeof wire.s === 'string' &&
      typeof wire.exp === 'number' &&
      (wire.w === 'code' || wire.w === 'enrol' || wire.w === 'done');
    return ok ? (wire as Wire) : null;
  } catch {
    return null;
  }
}
