import { OAuthError } from '@gatehouse/contracts';
import { ClientEntity } from '../../clients/client.entity';
import { checkClientAudience, checkClientReach } from './check-client-reach';

const API = 'gatehouse-api';
const TENANT_SCOPES = ['profile', 'orders:read'];

function client(fields: Partial<ClientEntity>): ClientEntity {
  return Object.assign(new ClientEntity(), { id: 'c', tenantId: null, audience: null, scopes: [], ...fields });
}
const outcome = (run: () => unknown) => {
  try {
    return run();
  } catch (error) {
    return error instanceof OAuthError ? error.code : String(error);
  }
};

describe('checkClientReach', () => {
  it('gives a platform client its own audience and scopes', () => {
    const orders = client({ audience: 'users', scopes: ['users:read'] });
    expect(checkClientReach(orders, API, TENANT_SCOPES)).toEqual({ audience: 'users', scopes: ['users:read'] });
    expect(checkClientReach(client({ scopes: ['admin'] }), API, [])).toEqual({ audience: API, scopes: ['admin'] });
  });

  it("holds a tenant's client to the API audience and its tenant's scopes", () => {
    const app = client({ tenantId: 'acme', scopes: ['profile', 'orders:read', 'users:read', 'admin'] });
    expect(checkClientReach(app, API, TENANT_SCOPES)).toEqual({ audience: API, scopes: ['profile', 'orders:read'] });
    expect(checkClientReach(client({ tenantId: 'acme', audience: API, scopes: ['profile'] }), API, [])).toEqual({ audience: API, scopes: [] });
  });

  it("refuses a tenant's client aimed at anything but the API audience", () => {
    for (const audience of ['users', 'orders', 'auth', `${API}-2`]) {
      const sidecar = client({ tenantId: 'acme', audience, scopes: ['profile'] });
      expect([audience, outcome(() => checkClientReach(sidecar, API, TENANT_SCOPES))]).toEqual([audience, 'unauthorized_client']);
      expect([audience, outcome(() => checkClientAudience(sidecar, API))]).toEqual([audience, 'unauthorized_client']);
    }
  });
});
