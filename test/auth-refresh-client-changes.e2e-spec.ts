import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { REFERENCE_BOOTSTRAP, SECRETS } from './support/bootstrap';
import { basic, decodeJwt, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

const ACME_TENANT = '- { id: acme, name: Acme, plan: pro }';
const ACME_CLI = `    grantTypes: [password, refresh_token, client_credentials]
    scopes: [orders:read, orders:write, profile]`;

/**
 * A refresh token outlives changes to its client: what the client may do now, not what it could
 * when the family started, bounds every refresh. The client is changed the way an operator does,
 * by the bootstrap file applied when auth starts again.
 */
describe('auth: a refresh follows what its client may do now', () => {
  let testEnv: TestEnv;
  let auth: RunningApp | undefined;
  const acme = basic('acme-cli', SECRETS.ACME_CLI_SECRET);
  const tokenUrl = () => `${auth!.url}/oauth/token`;

  async function startWith(acmeCli: string, acmeTenant = ACME_TENANT): Promise<void> {
    await auth?.close();
    const file = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(file, REFERENCE_BOOTSTRAP.replace(ACME_CLI, acmeCli).replace(ACME_TENANT, acmeTenant));
    auth = await startApp(authApp, { env: { ...testEnv.env, ...SECRETS, BOOTSTRAP_FILE: file } });
  }

  async function familyFor(scope: string): Promise<string> {
    const answer = await postForm(tokenUrl(), { grant_type: 'password', username: 'alice', password: SECRETS.ALICE_PASSWORD, scope }, { authorization: acme });
    expect(answer.status).toBe(200);
    return answer.body.refresh_token as string;
  }

  const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
    postForm(tokenUrl(), { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }, { authorization: acme });

  beforeAll(async () => {
    testEnv = await createTestEnv();
  });

  afterAll(async () => {
    await auth?.close();
    await testEnv?.cleanup();
  });

  it('grants only the scopes the client still has, after its scopes were cut', async () => {
    await startWith(ACME_CLI);
    const wide = await familyFor('orders:read orders:write profile');
    await startWith(ACME_CLI.replace('scopes: [orders:read, orders:write, profile]', 'scopes: [profile]'));

    const answer = await refresh(wide);
    expect(answer.status).toBe(200);
    expect(answer.body.scope).toBe('profile');
    expect(decodeJwt(answer.body.access_token as string).payload.scope).toBe('profile');

    // Asking for a scope the client lost is refused, even though the family was granted it.
    const asked = await refresh(answer.body.refresh_token as string, { scope: 'orders:read' });
    expect(asked.status).toBe(400);
    expect(asked.body).toEqual({ error: 'invalid_scope', error_description: 'The requested scope exceeds what is allowed.' });
  });

  it("grants only the scopes the client's tenant still allows, after the tenant's list was narrowed", async () => {
    await startWith(ACME_CLI);
    const wide = await familyFor('orders:read profile');
    await startWith(ACME_CLI, '- { id: acme, name: Acme, plan: pro, allowedScopes: [profile] }');

    const answer = await refresh(wide);
    expect(answer.status).toBe(200);
    expect(answer.body.scope).toBe('profile');
    expect(decodeJwt(answer.body.access_token as string).payload.scope).toBe('profile');
  });

  it('refuses a family none of whose scopes the client may still be granted', async () => {
    await startWith(ACME_CLI);
    const ordersOnly = await familyFor('orders:read');
    await startWith(ACME_CLI.replace('scopes: [orders:read, orders:write, profile]', 'scopes: [profile]'));

    const answer = await refresh(ordersOnly);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'invalid_scope', error_description: 'The client may no longer be granted the scope of this refresh token.' });
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a client that lost the refresh_token grant', async () => {
    await startWith(ACME_CLI);
    const family = await familyFor('profile');
    await startWith(ACME_CLI.replace('grantTypes: [password, refresh_token, client_credentials]', 'grantTypes: [password, client_credentials]'));

    const answer = await refresh(family);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'unauthorized_client', error_description: 'This client may not use the refresh_token grant.' });
  });

  it('refuses a disabled client', async () => {
    await startWith(ACME_CLI);
    const family = await familyFor('profile');
    const ops = await postForm(tokenUrl(), { grant_type: 'client_credentials', scope: 'admin' }, { authorization: basic('ops', SECRETS.OPS_SECRET) });
    const disabled = await fetch(`${auth!.url}/admin/clients/acme-cli/disable`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ops.body.access_token as string}` },
    });
    expect(disabled.status).toBe(200);

    const answer = await refresh(family);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
  });
});
