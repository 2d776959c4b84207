import type { Principal, RevocationEvent } from '@gatehouse/contracts';
import { RevocationList } from './revocation-list';

const principal = (overrides: Partial<Principal> = {}): Principal => ({
  kind: 'user',
  subject: 'alice',
  clientId: 'acme-cli',
  tenantId: 'acme',
  roles: [],
  scopes: [],
  sessionId: 'login-1',
  tokenId: 'jti-1',
  issuedAt: 1000,
  expiresAt: 1600,
  ...overrides,
});
const event = (kind: RevocationEvent['kind'], value: string, before = 1000, until = 1600): RevocationEvent => ({ seq: 1, kind, value, before, until });

describe('RevocationList', () => {
  it('revokes nothing while empty', () => {
    expect(new RevocationList(30).revoking(principal())).toBeUndefined();
  });

  it.each([
    ['jti', 'jti-1'],
    ['sid', 'login-1'],
    ['subject', 'alice'],
    ['client', 'acme-cli'],
    ['tenant', 'acme'],
  ] as const)('a %s event revokes the token it names', (kind, value) => {
    const list = new RevocationList(30);
    list.apply(event(kind, value));
    expect(list.revoking(principal())).toBe(kind);
    expect(list.revoking(principal({ tokenId: 'jti-2', sessionId: 'login-2', subject: 'bob', clientId: 'other', tenantId: 'globex' }))).toBeUndefined();
  });

  it('a watermark covers tokens issued at or before it, not after', () => {
    const list = new RevocationList(30);
    list.apply(event('subject', 'alice', 1000));
    expect(list.revoking(principal({ issuedAt: 999 }))).toBe('subject');
    expect(list.revoking(principal({ issuedAt: 1000 }))).toBe('subject');
    expect(list.revoking(principal({ issuedAt: 1001 }))).toBeUndefined();
    expect(list.revoking(principal({ issuedAt: undefined }))).toBe('subject');
  });

  it('a later watermark raises, an older one never lowers', () => {
    const list = new RevocationList(0);
    list.apply(event('client', 'acme-cli', 2000, 2600));
    list.apply(event('client', 'acme-cli', 1000, 1600));
    expect(list.revoking(principal({ issuedAt: 1500 }))).toBe('client');
    list.prune(1700);
    expect(list.revoking(principal({ issuedAt: 1500 }))).toBe('client');
  });

  it('an entry is pruned once every token it covers has expired, leeway included', () => {
    const list = new RevocationList(30);
    list.apply(event('jti', 'jti-1', 1000, 1600));
    list.apply(event('tenant', 'acme', 1000, 1700));
    list.prune(1629);
    expect(list.size).toBe(2);
    list.prune(1630);
    expect(list.size).toBe(1);
    list.prune(1730);
    expect(list.size).toBe(0);
  });
});
