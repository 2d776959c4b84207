import { PENDING_LOGIN_TTL, PendingLogins } from './pending-login';

const NOW = 1_800_000_000;
const login = { accountId: 'a1', tenantId: 'acme', authTime: NOW, awaiting: 'code' as const, scope: 'profile' };

describe('PendingLogins', () => {
  const logins = new PendingLogins(Buffer.alloc(32, 1));

  it('refuses a forged, altered, foreign-keyed, malformed or expired token', () => {
    const { token } = logins.sign(login, NOW);
    const [prefix, payload, mac] = token.split('.');
    const other = JSON.stringify({ a: 'a2', t: 'acme', at: NOW, w: 'code', s: 'profile', exp: NOW + 300, n: 'x' });
    expect(logins.read(`${prefix}.${Buffer.from(other).toString('base64url')}.${mac}`, NOW)).toBeNull();
    expect(logins.read(`${prefix}.${payload}.${mac.slice(0, -2)}AA`, NOW)).toBeNull();
    expect(new PendingLogins(Buffer.alloc(32, 2)).read(token, NOW)).toBeNull();
    expect(logins.read('mfa1.x', NOW)).toBeNull();
    expect(logins.read(42, NOW)).toBeNull();
    expect(logins.read(token, NOW + PENDING_LOGIN_TTL)).toBeNull();
  });

  it('reads back what it signed while it lasts', () => {
    const { token, expiresIn } = logins.sign(login, NOW);
    expect(expiresIn).toBe(PENDING_LOGIN_TTL);
    expect(logins.read(token, NOW + PENDING_LOGIN_TTL - 1)).toEqual({ ...login, expiresAt: NOW + PENDING_LOGIN_TTL });
  });
});
