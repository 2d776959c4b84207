import type { Principal } from '@gatehouse/contracts';
import type { Route } from '../routes/route';
import { resolveTenant, splitTenantPath } from './resolve-tenant';

const route = (tenant: Route['tenant']) => ({ tenant }) as Route;
const principal = (tenantId?: string) => ({ tenantId }) as Principal;
const BASE = 'gatehouse.test';

describe('resolveTenant', () => {
  it('reads each source alone', () => {
    expect(resolveTenant(route(['subdomain']), { host: 'acme.gatehouse.test:3000' }, undefined, BASE)).toEqual({ tenant: 'acme', source: 'subdomain' });
    expect(resolveTenant(route(['path']), { path: 'acme' }, undefined, BASE)).toEqual({ tenant: 'acme', source: 'path' });
    expect(resolveTenant(route(['header']), { header: 'acme' }, undefined, BASE)).toEqual({ tenant: 'acme', source: 'header' });
    expect(resolveTenant(route(['claim']), {}, principal('acme'), BASE)).toEqual({ tenant: 'acme', source: 'claim' });
  });

  it("takes the first source that says something, in the route's order", () => {
    const hints = { host: 'sub.gatehouse.test', path: 'pathy', header: 'heady' };
    expect(resolveTenant(route(['subdomain', 'path', 'header', 'claim']), hints, principal('claimy'), BASE).tenant).toBe('sub');
    expect(resolveTenant(route(['claim', 'header']), hints, principal('claimy'), BASE).tenant).toBe('claimy');
    expect(resolveTenant(route(['subdomain', 'header']), { ...hints, host: 'gatehouse.test' }, undefined, BASE).tenant).toBe('heady');
    expect(resolveTenant(route(['subdomain', 'claim']), { host: 'other.example' }, principal('claimy'), BASE).tenant).toBe('claimy');
  });

  it('ignores the subdomain source without TENANT_BASE_HOST', () => {
    expect(resolveTenant(route(['subdomain', 'claim']), { host: 'acme.gatehouse.test' }, principal('claimy'), undefined).tenant).toBe('claimy');
  });

  it('refuses an unidentifiable or malformed tenant with tenant_not_identified', () => {
    expect(() => resolveTenant(route(['header', 'claim']), {}, principal(undefined), BASE)).toThrow(expect.objectContaining({ code: 'tenant_not_identified' }));
    expect(() => resolveTenant(route(['header']), { header: 'Not A Slug' }, undefined, BASE)).toThrow(
      expect.objectContaining({ code: 'tenant_not_identified' }),
    );
    expect(() => resolveTenant(route(['header']), { header: ['a', 'b'] }, undefined, BASE)).toThrow(expect.objectContaining({ code: 'tenant_not_identified' }));
    expect(() => resolveTenant(route(['subdomain']), { host: 'a.b.gatehouse.test' }, undefined, BASE)).toThrow(
      expect.objectContaining({ code: 'tenant_not_identified' }),
    );
  });
});

describe('splitTenantPath', () => {
  it('takes the /tenants/<id> prefix off', () => {
    expect(splitTenantPath('/tenants/acme/orders/1')).toEqual({ tenant: 'acme', rest: '/orders/1' });
    expect(splitTenantPath('/tenants/acme')).toEqual({ tenant: 'acme', rest: '/' });
    expect(splitTenantPath('/orders/1')).toBeUndefined();
    expect(splitTenantPath('/tenants/Bad_Id/orders')).toBeUndefined();
  });
});
