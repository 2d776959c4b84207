import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The secrets the tests' bootstrap file reads from the environment. */
export const SECRETS = {
  ACME_CLI_SECRET: 'acme-cli-secret-0123456789abcdefghijklmnop',
  OPS_SECRET: 'ops-secret-0123456789abcdefghijklmnopqrstuv',
  ORDERS_SERVICE_SECRET: 'orders-service-secret-0123456789abcdefghijk',
  ALICE_PASSWORD: 'a long passphrase, with: yaml, specials}',
  GATEWAY_CLIENT_SECRET: 'gateway-secret-0123456789abcdefghijklmnopq',
};

/** The reference bootstrap file (the shape docs/ARCHITECTURE.md shows), plus the gateway's own client for introspection. */
export const REFERENCE_BOOTSTRAP = `
tenants:
  - { id: acme, name: Acme, plan: pro }
clients:
  - clientId: acme-cli
    tenant: acme
    secret: \${ACME_CLI_SECRET}
    grantTypes: [password, refresh_token, client_credentials]
    scopes: [orders:read, orders:write, profile]
    firstParty: true
  - clientId: ops
    secret: \${OPS_SECRET}
    grantTypes: [client_credentials]
    scopes: [admin]
  - clientId: gateway
    secret: \${GATEWAY_CLIENT_SECRET}
    grantTypes: [client_credentials]
    scopes: []
    introspect: true
  - clientId: orders-service
    secret: \${ORDERS_SERVICE_SECRET}
    grantTypes: [client_credentials]
    scopes: [users:read]
    audience: users
users:
  - { tenant: acme, username: alice, email: alice@acme.test, password: \${ALICE_PASSWORD}, roles: [admin] }
`;

/** Writes the design's bootstrap file into `folder`; answers the env that makes auth apply it. */
export function referenceBootstrap(folder: string): Record<string, string> {
  const file = join(folder, 'bootstrap.yaml');
  writeFileSync(file, REFERENCE_BOOTSTRAP);
  return { ...SECRETS, BOOTSTRAP_FILE: file };
}
