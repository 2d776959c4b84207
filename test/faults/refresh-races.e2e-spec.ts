import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { DataSource } from 'typeorm';
import { authApp } from '../../apps/auth/src/auth.app';
import { hashRefreshToken } from '../../apps/auth/src/tokens/refresh-tokens.service';
import { RefreshTokenEntity } from '../../apps/auth/src/tokens/refresh-token.entity';
import { referenceBootstrap, SECRETS } from '../support/bootstrap';
import { basic, postForm } from '../support/oauth';
import { createTestEnv, type TestEnv } from '../support/test-env';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Pair {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

/**
 * Fault drill: two browser tabs refresh with the same refresh token at once. Within the reuse
 * grace (REFRESH_REUSE_GRACE, default 2 s) both get the one new pair and the family lives on;
 * outside it, reuse revokes the family as before. (`REFRESH_REUSE_GRACE=0`, the strict behaviour,
 * is what test/auth-oauth.e2e-spec.ts runs its rotation tests with.)
 */
describe('faults: concurrent refreshes with one refresh token', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  const acme = basic('acme-cli', SECRETS.ACME_CLI_SECRET);

  const signIn = async () =>
    (await postForm<Pair>(`${auth.url}/oauth/token`, { grant_type: 'password', username: 'alice', password: SECRETS.ALICE_PASSWORD }, { authorization: acme }))
      .body;
  const refresh = (refreshToken: string) =>
    postForm<Pair & { error?: string }>(`${auth.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: refreshToken }, { authorization: acme });
  const active = async (accessToken: string) =>
    (await postForm<{ active: boolean }>(`${auth.url}/oauth/introspect`, { token: accessToken }, { authorization: acme })).body.active;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir), AUTH_ISSUER: 'http://gatehouse.test' } });
  });

  afterAll(async () => {
    await auth?.close();
    await testEnv?.cleanup();
  });

  it('answers both concurrent refreshes with the same new pair, and keeps the family alive (10 runs)', async () => {
    for (let run = 0; run < 10; run++) {
      const start = await signIn();
      const [one, two] = await Promise.all([refresh(start.refresh_token), refresh(start.refresh_token)]);
      expect([one.status, two.status]).toEqual([200, 200]);
      expect(two.body.access_token).toBe(one.body.access_token);
      expect(two.body.refresh_token).toBe(one.body.refresh_token);
      expect(two.body).toMatchObject({ token_type: 'Bearer', scope: one.body.scope });
      expect(await active(one.body.access_token)).toBe(true);
      const next = await refresh(one.body.refresh_token);
      expect(next.status).toBe(200);
      expect(await active(next.body.access_token)).toBe(true);
    }
  });

  it('answers a second use just after the first with the same pair, and keeps that pair sealed, the new token stored only as a hash', async () => {
    const start = await signIn();
    const first = await refresh(start.refresh_token);
    const again = await refresh(start.refresh_token);
    expect(again.status).toBe(200);
    expect(again.body.refresh_token).toBe(first.body.refresh_token);
    expect(again.body.expires_in).toBeLessThanOrEqual(first.body.expires_in);

    const rows = auth.app.get(DataSource).getRepository(RefreshTokenEntity);
    const rotated = await rows.findOneByOrFail({ tokenHash: hashRefreshToken(start.refresh_token) });
    expect(rotated.successorSealed).toMatch(/^v1\./);
    expect(rotated.successorSealed).not.toContain(first.body.refresh_token);
    expect(rotated.successorSealed).not.toContain(first.body.access_token.split('.')[1]);
    const successor = await rows.findOneByOrFail({ tokenHash: hashRefreshToken(first.body.refresh_token) });
    expect(successor.successorSealed).toBeNull();
    // Rotating the successor erases the sealed pair of its predecessor.
    expect((await refresh(first.body.refresh_token)).status).toBe(200);
    expect((await rows.findOneByOrFail({ id: rotated.id })).successorSealed).toBeNull();
  });

  it('revokes the family on a reuse after the grace, as before', async () => {
    const start = await signIn();
    const first = await refresh(start.refresh_token);
    await sleep(2_200);
    const late = await refresh(start.refresh_token);
    expect(late.status).toBe(400);
    expect(late.body).toEqual({ error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' });
    expect((await refresh(first.body.refresh_token)).body).toMatchObject({ error: 'invalid_grant' });
    expect(await active(first.body.access_token)).toBe(false);
  });
});
