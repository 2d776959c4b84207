import { DomainError, type Principal } from '@gatehouse/contracts';
import { checkMessageTenant } from './check-message-tenant';

const service = (tenantId?: string): Principal => ({
  kind: 'client',
  subject: 'client:svc',
  clientId: 'svc',
  tenantId,
  roles: [],
  scopes: ['users:read'],
  tokenId: 'j-1',
  expiresAt: 0,
});
const refusal = (principal: Principal, payload: unknown) => {
  try {
    return checkMessageTenant(principal, payload);
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
};

describe('checkMessageTenant', () => {
  it('lets a platform service act for the tenant the message names', () => {
    expect(refusal(service(), { tenantId: 'globex', id: 'g-1' })).toBe('globex');
  });

  it("holds a tenant's token to its tenant", () => {
    expect(refusal(service('acme'), { tenantId: 'acme', id: 'a-1' })).toBe('acme');
    expect(refusal(service('acme'), { tenantId: 'globex', id: 'g-1' })).toBe('tenant_mismatch');
  });

  it('refuses a message that names no tenant, whoever sends it', () => {
    for (const payload of [{ id: 'a-1' }, { tenantId: '' }, { tenantId: 42 }, null, 'acme', [{ tenantId: 'acme' }]]) {
      expect([payload, refusal(service(), payload)]).toEqual([payload, 'invalid_request']);
      expect([payload, refusal(service('acme'), payload)]).toEqual([payload, 'invalid_request']);
    }
  });
});
