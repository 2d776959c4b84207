import { DomainError, type Principal } from '@gatehouse/contracts';
import { refusalEvent } from './audit-refusal';

const alice: Principal = { kind: 'user', subject: 'user:1', clientId: 'acme-cli', tenantId: 'acme', scopes: [], roles: [] } as unknown as Principal;

describe('refusalEvent: which refusals are audit events', () => {
  it('a tenant mismatch is a cross-tenant attempt; a refused scope or role is access.refused', () => {
    expect(refusalEvent(new DomainError('tenant_mismatch', 'x'), 'rpc', undefined, 'globex')).toMatchObject({
      type: 'cross_tenant_attempt',
      tenantId: 'globex',
      code: 'tenant_mismatch',
    });
    expect(refusalEvent(new DomainError('insufficient_scope', 'x'), 'http', alice)).toMatchObject({
      type: 'access.refused',
      subject: 'user:1',
      clientId: 'acme-cli',
      tenantId: 'acme',
      details: { where: 'http' },
    });
    expect(refusalEvent(new DomainError('forbidden', 'x'), 'http', alice)?.type).toBe('access.refused');
  });

  it('a refused token is an event on a message only; anything else is none', () => {
    expect(refusalEvent(new DomainError('invalid_token', 'x'), 'rpc')?.type).toBe('service_token.refused');
    expect(refusalEvent(new DomainError('missing_token', 'x'), 'rpc')?.type).toBe('service_token.refused');
    expect(refusalEvent(new DomainError('invalid_token', 'x'), 'http')).toBeUndefined();
    expect(refusalEvent(new DomainError('invalid_request', 'x'), 'rpc')).toBeUndefined();
    expect(refusalEvent(new Error('boom'), 'rpc')).toBeUndefined();
  });
});
