import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import * as oidc from 'openid-client';
import { authApp } from '../apps/auth/src/auth.app';
import { createTestEnv, type TestEnv } from './support/test-env';

const CLI_SECRET = 'openid-client-secret-0123456789abcdefghijkl';
const ALICE_PASSWORD = 'a long passphrase, not a name';

const BOOTSTRAP = `
tenants: [{ id: acme, name: Acme }]
clients:
  - { clientId: acme-cli, tenant: acme, secret: \${CLI_SECRET}, grantTypes: [password, refresh_token, client_credentials], scopes: [orders:read, profile], firstParty: true }
users:
  - { tenant: acme, username: alice, email: alice@acme.test, password: \${ALICE_PASSWORD} }
`;

/** A real client library, panva's openid-client, against the running auth app. */
describe('auth with openid-client', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let config: oidc.Configuration;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    const file = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(file, BOOTSTRAP);
    const issuer = `http://127.0.0.1:${testEnv.env.AUTH_PORT}`;
    auth = await startApp(authApp, { env: { ...testEnv.env, CLI_SECRET, ALICE_PASSWORD, BOOTSTRAP_FILE: file, AUTH_ISSUER: issuer } });
    config = await oidc.discovery(new URL(issuer), 'acme-cli', CLI_SECRET, oidc.ClientSecretBasic(CLI_SECRET), {
      execute: [oidc.allowInsecureRequests],
    });
  });

  afterAll(async () => {
    await auth?.close();
    await testEnv?.cleanup();
  });

  it('discovers the server', () => {
    expect(config.serverMetadata()).toMatchObject({ token_endpoint: `${auth.url}/oauth/token`, jwks_uri: `${auth.url}/.well-known/jwks.json` });
  });

  it('runs client_credentials', async () => {
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'orders:read' });
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'orders:read', expires_in: 600 });
  });

  it('logs in with the password grant, refreshes, introspects and revokes', async () => {
    const login = await oidc.genericGrantRequest(config, 'password', { username: 'alice', password: ALICE_PASSWORD, scope: 'profile' });
    expect(login.refresh_token).toEqual(expect.any(String));

    const refreshed = await oidc.refreshTokenGrant(config, login.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(login.refresh_token);

    const active = await oidc.tokenIntrospection(config, refreshed.access_token);
    expect(active).toMatchObject({ active: true, client_id: 'acme-cli', tenant_id: 'acme', scope: 'profile' });

    await oidc.tokenRevocation(config, refreshed.refresh_token!);
    expect(await oidc.tokenIntrospection(config, refreshed.refresh_token!)).toEqual({ active: false });
    expect(await oidc.tokenIntrospection(config, refreshed.access_token)).toEqual({ active: false });
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});
