import { loadSettings } from '@gatehouse/config';
import { createLogger } from '@gatehouse/observability';
import { RedisConnection } from '@gatehouse/persistence';
import { GatewaySettings } from '../gateway.settings';
import { RouteTable } from '../routes/route-table';
import { TenantRegistry } from './tenant-registry';

describe('TenantRegistry without GATEWAY_CLIENT_SECRET', () => {
  const logger = createLogger({ app: 'gateway', level: 'silent' });
  const registry = (env: Record<string, string>) => {
    const { settings } = loadSettings(GatewaySettings, env);
    return new TenantRegistry(settings, RouteTable.load(settings), logger, new RedisConnection(settings));
  };

  it('refuses to start in production when routes resolve tenants', () => {
    expect(() =>
      registry({
        NODE_ENV: 'production',
        AUTH_ISSUER: 'https://gatehouse.example',
        INTERNAL_KEYS_ENCRYPTION_SECRET: 'x'.repeat(32),
        TLS_TERMINATED_UPSTREAM: 'true',
      }),
    ).toThrow('GATEWAY_CLIENT_SECRET is required in production: routes /orders, /users resolve tenants');
  });

  it('counts every tenant as active in development, and asks no one', async () => {
    await expect(registry({}).require('anyone')).resolves.toMatchObject({ id: 'anyone', status: 'active' });
  });
});
