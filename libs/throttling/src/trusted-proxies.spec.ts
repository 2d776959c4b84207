import { TrustedProxies } from './trusted-proxies';

describe('TrustedProxies', () => {
  const proxies = new TrustedProxies(['10.0.0.0/8', '192.168.1.5', '::1']);

  it('takes the peer when no proxy is configured, whatever X-Forwarded-For says', () => {
    expect(new TrustedProxies([]).clientAddress('203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
  });

  it('takes the peer when the peer is not a trusted proxy', () => {
    expect(proxies.clientAddress('203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
  });

  it('walks X-Forwarded-For from the right past trusted hops only', () => {
    expect(proxies.clientAddress('10.1.2.3', '198.51.100.1, 203.0.113.7, 192.168.1.5')).toBe('203.0.113.7');
    expect(proxies.clientAddress('::ffff:10.1.2.3', ['198.51.100.1', '10.9.9.9'])).toBe('198.51.100.1');
  });

  it('stops at a hop that is not an address, keeping the last trusted one', () => {
    expect(proxies.clientAddress('10.1.2.3', 'forged, 10.0.0.7')).toBe('10.0.0.7');
  });

  it('treats a trusted peer without X-Forwarded-For as the client', () => {
    expect(proxies.clientAddress('::1', undefined)).toBe('::1');
  });
});
