import { DomainError } from '@gatehouse/contracts';
import type { ClientEntity } from '../clients/client.entity';
import { mayReportAudit } from './audit-intake';
import { decodeCursor, encodeCursor } from './audit-query.service';

describe('audit cursors', () => {
  it('round-trips the position it encodes', () => {
    expect(decodeCursor(encodeCursor('12345'))).toBe('12345');
    expect(encodeCursor('7')).not.toContain('7');
  });

  it.each([
    '',
    'not-ours',
    Buffer.from('a1:0').toString('base64url'),
    Buffer.from('a1:-1').toString('base64url'),
    Buffer.from('a1:1 OR 1=1').toString('base64url'),
    Buffer.from('b1:5').toString('base64url'),
    Buffer.from(`a1:${'9'.repeat(20)}`).toString('base64url'),
    '!!!',
  ])('refuses %j as invalid_request', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(DomainError);
    try {
      decodeCursor(cursor);
    } catch (error) {
      expect((error as DomainError).code).toBe('invalid_request');
    }
  });
});

describe('who may report audit events', () => {
  const client = (fields: Partial<ClientEntity>) => ({ tenantId: null, introspect: false, grantTypes: ['client_credentials'], ...fields }) as ClientEntity;
  it('a platform client acting for itself, or the gateway', () => {
    expect(mayReportAudit(client({}))).toBe(true);
    expect(mayReportAudit(client({ grantTypes: [], introspect: true }))).toBe(true);
  });
  it("never a tenant's client, nor a platform client that only signs people in", () => {
    expect(mayReportAudit(client({ tenantId: 'acme' }))).toBe(false);
    expect(mayReportAudit(client({ tenantId: 'acme', introspect: true }))).toBe(false);
    expect(mayReportAudit(client({ grantTypes: ['authorization_code'] }))).toBe(false);
  });
});
