import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { generateClientSecret } from '../clients/client-secret';
import { BootstrapDocument } from './bootstrap-file';

export const DEMO_CREDENTIALS_FILE = 'bootstrap-credentials.json';

/**
 * The development demo: tenant `demo`, its admin, a first-party CLI client, the service clients
 * users and orders need, and a platform `ops` client. Random secrets go to a file readable by the
 * owner only, never to the log.
 */
export function writeDemoDocument(folder: string): { document: BootstrapDocument; path: string } {
  const secrets = {
    adminPassword: randomBytes(18).toString('base64url'),
    demoCliSecret: generateClientSecret(),
    ordersServiceSecret: generateClientSecret(),
    usersServiceSecret: generateClientSecret(),
    gatewaySecret: generateClientSecret(),
    opsSecret: generateClientSecret(),
  };
  const document = plainToInstance(BootstrapDocument, {
    tenants: [{ id: 'demo', name: 'Demo', plan: 'free' }],
    clients: [
      {
        clientId: 'demo-cli',
        tenant: 'demo',
        secret: secrets.demoCliSecret,
        grantTypes: ['password', 'refresh_token', 'client_credentials'],
        scopes: ['profile', 'orders:read', 'orders:write'],
        firstParty: true,
      },
      { clientId: 'orders-service', secret: secrets.ordersServiceSecret, grantTypes: ['client_credentials'], scopes: ['users:read'], audience: 'users' },
      { clientId: 'users-service', secret: secrets.usersServiceSecret, grantTypes: ['client_credentials'], scopes: ['orders:read'], audience: 'orders' },
      { clientId: 'gateway', secret: secrets.gatewaySecret, grantTypes: ['client_credentials'], scopes: [], introspect: true },
      { clientId: 'ops', secret: secrets.opsSecret, grantTypes: ['client_credentials'], scopes: ['admin'] },
    ],
    users: [{ tenant: 'demo', username: 'admin', email: 'admin@demo.test', password: secrets.adminPassword, roles: ['admin'] }],
  });
  mkdirSync(folder, { recursive: true });
  const path = join(folder, DEMO_CREDENTIALS_FILE);
  const readable = {
    tenant: 'demo',
    admin: { username: 'admin', password: secrets.adminPassword },
    clients: Object.fromEntries(document.clients.map((client) => [client.clientId, client.secret])),
  };
  writeFileSync(path, `${JSON.stringify(readable, null, 2)}\n`, { mode: 0o600, flag: 'w' });
  return { document, path };
}
