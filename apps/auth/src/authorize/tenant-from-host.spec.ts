import { tenantFromHost } from './tenant-from-host';

describe('tenantFromHost', () => {
  it('reads the tenant of <tenant>.<TENANT_BASE_HOST>, with or without a port', () => {
    expect(tenantFromHost('acme.gatehouse.test', 'gatehouse.test')).toBe('acme');
    expect(tenantFromHost('ACME.gatehouse.test:3000', 'gatehouse.test')).toBe('acme');
  });

  it('reads nothing without a base host, under another host, or from a label that is no tenant id', () => {
    expect(tenantFromHost('acme.gatehouse.test', undefined)).toBeUndefined();
    expect(tenantFromHost('gatehouse.test', 'gatehouse.test')).toBeUndefined();
    expect(tenantFromHost('acme.evil.test', 'gatehouse.test')).toBeUndefined();
    expect(tenantFromHost('a.b.gatehouse.test', 'gatehouse.test')).toBeUndefined();
    expect(tenantFromHost('acme.gatehouse.test.evil.test', 'gatehouse.test')).toBeUndefined();
  });
});
