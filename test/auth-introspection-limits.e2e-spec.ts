import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { DataSource } from 'typeorm';
import { authApp } from '../apps/auth/src/auth.app';
import { referenceBootstrap, SECRETS } from './support/bootstrap';
import { basic, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

const LIMIT = 5;

/**
 * RFC 7662 section 4: a client fishing for valid tokens sees mostly inactive answers, so those are
 * what a client may receive only so many of, from whatever addresses it calls.
 */
describe('auth: introspection is limited per client', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  const acme = basic('acme-cli', SECRETS.ACME_CLI_SECRET);
  const introspect = (token: string, authorization: string, from: string) =>
    postForm(`${auth.url}/oauth/introspect`, { token }, { authorization, 'x-forwarded-for': from });

  beforeAll(async () => {
    testEnv = await createTestEnv();
    auth = await startApp(authApp, {
      env: {
        ...testEnv.env,
        ...referenceBootstrap(testEnv.dataDir),
        AUTH_TRUSTED_PROXIES: '127.0.0.1',
        INTROSPECTION_INACTIVE_LIMIT: String(LIMIT),
        INTROSPECTION_INACTIVE_WINDOW: '60',
      },
    });
  });

  afterAll(async () => {
    await auth?.close();
    await testEnv?.cleanup();
  });

  it('refuses a client past its inactive answers with 429, from any address, and audits it once', async () => {
    const guesses = Array.from({ length: LIMIT }, (_, i) => `guessed-token-${i}`);
    for (const [i, guess] of guesses.entries()) {
      const answer = await introspect(guess, acme, `198.51.100.${i + 1}`);
      expect(answer.status).toBe(200);
      expect(answer.text).toBe('{"active":false}');
    }

    const held = await introspect('guessed-token-next', acme, '203.0.113.77');
    expect(held.status).toBe(429);
    expect(held.body).toEqual({ error: 'rate_limited', message: 'Too many requests.', requestId: expect.any(String) });
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(held.headers.get('cache-control')).toBe('no-store');

    // Held for everything it asks, a real token included, until the window ends.
    const issued = await postForm(
      `${auth.url}/oauth/token`,
      { grant_type: 'password', username: 'alice', password: SECRETS.ALICE_PASSWORD },
      { authorization: acme },
    );
    expect((await introspect(issued.body.access_token as string, acme, '203.0.113.78')).status).toBe(429);

    const rows = await auth.app
      .get(DataSource)
      .query<{ client_id: string; outcome: string }[]>(
        `SELECT "client_id", "outcome" FROM "${testEnv.schemaPrefix}auth"."audit_events" WHERE "type" = 'introspection.held'`,
      );
    expect(rows).toEqual([{ client_id: 'acme-cli', outcome: 'failure' }]);
  });

  it('does not count active answers, nor another client', async () => {
    const ops = basic('ops', SECRETS.OPS_SECRET);
    const issued = await postForm(`${auth.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: ops });
    for (let i = 0; i < LIMIT * 2; i++) {
      const answer = await introspect(issued.body.access_token as string, ops, '198.51.100.200');
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ active: true, client_id: 'ops' });
    }
  });

  it('leaves the platform introspectors (clients marked introspect) to their own judgement', async () => {
    const gateway = basic('gateway', SECRETS.GATEWAY_CLIENT_SECRET);
    for (let i = 0; i < LIMIT * 2; i++) {
      const answer = await introspect(`expired-or-unknown-${i}`, gateway, '198.51.100.201');
      expect(answer.status).toBe(200);
      expect(answer.text).toBe('{"active":false}');
    }
  });
});
