import { loadSettings, SettingsError } from '@gatehouse/config';
import { AuthSettings } from '../auth.settings';
import { TenantEntity } from './tenant.entity';
import { allowedScopesOf, tenantScopesProblem } from './tenant-scopes';

const DEFAULTS = ['profile', 'orders:read', 'orders:write'];
const tenant = (allowedScopes: string[] | null) => Object.assign(new TenantEntity(), { id: 'acme', allowedScopes });

describe("a tenant's allowed scopes", () => {
  it("are the tenant's own list, else the platform's default; an unknown tenant has none", () => {
    expect(allowedScopesOf(tenant(['profile']), DEFAULTS)).toEqual(['profile']);
    expect(allowedScopesOf(tenant([]), DEFAULTS)).toEqual([]);
    expect(allowedScopesOf(tenant(null), DEFAULTS)).toEqual(DEFAULTS);
    expect(allowedScopesOf(null, DEFAULTS)).toEqual([]);
  });

  it('never hold a platform-only scope, nor anything but scope tokens', () => {
    expect(tenantScopesProblem(['profile', 'orders:read'])).toBeUndefined();
    expect(tenantScopesProblem([])).toBeUndefined();
    for (const scope of ['users:read', 'users:provision', 'admin', 'introspect']) expect(tenantScopesProblem(['profile', scope])).toContain(scope);
    for (const bad of ['profile', ['two words'], ['quote"'], [7], null]) expect(tenantScopesProblem(bad)).toBe('must be a list of scopes');
  });

  it('refuse to start auth with a platform-only scope in TENANT_CLIENT_SCOPES', () => {
    expect(loadSettings(AuthSettings, {}).settings.tenantClientScopes).toEqual(DEFAULTS);
    expect(loadSettings(AuthSettings, { TENANT_CLIENT_SCOPES: 'profile  billing:read' }).settings.tenantClientScopes).toEqual(['profile', 'billing:read']);
    expect(() => loadSettings(AuthSettings, { TENANT_CLIENT_SCOPES: 'profile users:read' })).toThrow(SettingsError);
    expect(() => loadSettings(AuthSettings, { TENANT_CLIENT_SCOPES: 'profile admin' })).toThrow(/platform-only/);
  });
});
