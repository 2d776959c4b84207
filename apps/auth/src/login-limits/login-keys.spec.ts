import { addressKey, loginKeys } from './login-keys';

describe('addressKey', () => {
  it('keeps IPv4 addresses whole', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
  });

  it('counts IPv6 addresses per /64, however they are written', () => {
    expect(addressKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:0DB8:0000:0001:ffff:0:0:7')).toBe('2001:db8:0:1::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::')).toBe('fe80:0:0:0::/64');
  });

  it('leaves anything else as it is', () => {
    expect(addressKey('unknown')).toBe('unknown');
  });
});

describe('loginKeys', () => {
  it('names the account by tenant and case-folded username, whether it exists or not', () => {
    const upper = loginKeys({ ip: '203.0.113.9', tenantId: 'acme', username: 'Alice' });
    const lower = loginKeys({ ip: '203.0.113.9', tenantId: 'acme', username: 'alice' });
    expect(upper).toEqual(lower);
    expect(lower.accountBlock).toBe('login:block:account:acme:alice');
  });

  it('keeps a pair apart from the same account at another address', () => {
    const here = loginKeys({ ip: '203.0.113.9', tenantId: 'acme', username: 'alice' });
    const there = loginKeys({ ip: '198.51.100.1', tenantId: 'acme', username: 'alice' });
    expect(here.pairBlock).not.toBe(there.pairBlock);
    expect(here.accountFailures).toBe(there.accountFailures);
  });

  it('encodes each part, so values with separators cannot collide', () => {
    const a = loginKeys({ ip: '1.2.3.4', tenantId: 'a:b', username: 'c' });
    const b = loginKeys({ ip: '1.2.3.4', tenantId: 'a', username: 'b:c' });
    expect(a.accountFailures).not.toBe(b.accountFailures);
  });
});
