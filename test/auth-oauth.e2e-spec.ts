import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { DataSource } from 'typeorm';
import { authApp } from '../apps/auth/src/auth.app';
import { AuditTrail } from '../apps/auth/src/audit/audit.service';
import { http } from './support/http';
import { basic, decodeJwt, postForm } from './support/oauth';
import { REFERENCE_BOOTSTRAP as BOOTSTRAP, SECRETS } from './support/bootstrap';
import { createTestEnv, type TestEnv } from './support/test-env';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

describe('auth: the token endpoint and its companions', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let token: string;
  const acme = basic('acme-cli', SECRETS.ACME_CLI_SECRET);
  const password = (extra: Record<string, string> = {}) =>
    postForm(token, { grant_type: 'password', username: 'alice', password: SECRETS.ALICE_PASSWORD, ...extra }, { authorization: acme });

  beforeAll(async () => {
    testEnv = await createTestEnv();
    const file = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(file, BOOTSTRAP);
    // REFRESH_REUSE_GRACE=0: the strict rotation (test/faults/refresh-races.e2e-spec.ts has the grace).
    auth = await startApp(authApp, {
      env: { ...testEnv.env, ...SECRETS, BOOTSTRAP_FILE: file, AUTH_ISSUER: 'http://gatehouse.test', REFRESH_REUSE_GRACE: '0' },
    });
    token = `${auth.url}/oauth/token`;
  });

  afterAll(async () => {
    await auth?.close();
    await testEnv?.cleanup();
  });

  describe('client authentication', () => {
    it('refuses a wrong secret with invalid_client and a Basic challenge', async () => {
      const answer = await postForm(token, { grant_type: 'client_credentials' }, { authorization: basic('ops', 'wrong-secret') });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
      expect(answer.headers.get('www-authenticate')).toBe('Basic realm="gatehouse", charset="UTF-8"');
      expect(answer.headers.get('cache-control')).toBe('no-store');
    });

    it('refuses an unknown client exactly like a wrong secret', async () => {
      const answer = await postForm(token, { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x'.repeat(40) });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
    });

    it('refuses two authentication methods at once', async () => {
      const answer = await postForm(
        token,
        { grant_type: 'client_credentials', client_secret: SECRETS.OPS_SECRET },
        { authorization: basic('ops', SECRETS.OPS_SECRET) },
      );
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_request' });
    });

    it('accepts client_secret_post', async () => {
      const answer = await postForm(token, { grant_type: 'client_credentials', client_id: 'ops', client_secret: SECRETS.OPS_SECRET });
      expect(answer.status).toBe(200);
    });
  });

  describe('bad input', () => {
    it('refuses JSON: the token endpoint takes forms only', async () => {
      const answer = await http(token, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: acme },
        body: '{"grant_type":"password"}',
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_request' });
    });

    it('refuses a repeated parameter', async () => {
      const answer = await http(token, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: acme },
        body: 'grant_type=password&username=alice&username=bob&password=x',
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: 'invalid_request', error_description: 'Parameters must not be repeated: username.' });
    });

    it('refuses a missing grant_type', async () => {
      const answer = await postForm(token, {}, { authorization: acme });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_request' });
    });

    it('refuses an unknown grant type', async () => {
      const answer = await postForm(token, { grant_type: 'urn:made:up' }, { authorization: acme });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'unsupported_grant_type' });
    });

    it('answers a huge body with 413 and a code, not a 500', async () => {
      const answer = await postForm(token, { grant_type: 'password', password: 'x'.repeat(200_000) }, { authorization: acme });
      expect(answer.status).toBe(413);
      expect(answer.body).toMatchObject({ error: 'payload_too_large' });
    });

    it('answers malformed JSON on a JSON endpoint with 400 invalid_request', async () => {
      const answer = await http(`${auth.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"tenant":' });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_request' });
    });

    it('refuses U+0000 in a form parameter with invalid_request, naming the parameter, never a 500', async () => {
      const answer = await password({ username: 'alice\u0000' });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: 'invalid_request', error_description: 'Parameters must not contain NUL characters: username.' });
    });

    it('refuses U+0000 anywhere in a JSON body with invalid_request, naming the field', async () => {
      const answer = await http(`${auth.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenant: 'acme', username: 'alice', password: 'pass\u0000word' }),
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_request', message: 'Invalid input: password must not contain NUL characters' });
    });
  });

  describe('client_credentials', () => {
    it('issues an RFC 9068 access token for the client itself, without a refresh token', async () => {
      const answer = await postForm<Record<string, unknown>>(
        token,
        { grant_type: 'client_credentials', scope: 'users:read' },
        { authorization: basic('orders-service', SECRETS.ORDERS_SERVICE_SECRET) },
      );
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe(NO_STORE['cache-control']);
      expect(answer.headers.get('pragma')).toBe(NO_STORE.pragma);
      expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'users:read' });
      expect(answer.body).not.toHaveProperty('refresh_token');
      const { header, payload } = decodeJwt(answer.body.access_token as string);
      expect(header).toMatchObject({ typ: 'at+jwt', alg: 'RS256', kid: expect.any(String) });
      expect(payload).toMatchObject({
        iss: 'http://gatehouse.test',
        sub: 'client:orders-service',
        aud: 'users',
        client_id: 'orders-service',
        scope: 'users:read',
      });
      expect(payload).not.toHaveProperty('tenant_id');
      for (const claim of ['exp', 'iat', 'nbf', 'jti']) expect(payload).toHaveProperty(claim);
    });

    it('writes one audit row per grant, each with its own request id, in fewer statements than grants, when many arrive at once', async () => {
      const dataSource = auth.app.get(DataSource);
      const logger = dataSource.logger;
      // Whether grants meet in one event-loop round depends on how the machine schedules them: on a
      // busy one, 40 concurrent grants can reach their audit rows one round each. Up to three
      // bursts; every row of every burst must be there, and at least one burst must share statements.
      const statementsPerBurst: number[] = [];
      for (let burst = 0; burst < 3 && !statementsPerBurst.some((count) => count < 40); burst++) {
        let statements = 0;
        // Counts the statements the app sends (TypeORM reports each to its logger), and passes them on.
        dataSource.logger = Object.assign(Object.create(logger) as typeof logger, {
          logQuery: (query: string, parameters?: unknown[]) => {
            if (query.startsWith(`INSERT INTO "${testEnv.schemaPrefix}auth"."audit_events"`)) statements++;
            logger.logQuery(query, parameters);
          },
        });
        const ids = Array.from({ length: 40 }, (_, i) => `req-audit-batch-${burst}-${String(i).padStart(4, '0')}`);
        try {
          const answers = await Promise.all(
            ids.map((id) =>
              postForm(
                token,
                { grant_type: 'client_credentials', scope: 'users:read' },
                { authorization: basic('orders-service', SECRETS.ORDERS_SERVICE_SECRET), 'x-request-id': id },
              ),
            ),
          );
          expect(answers.map((answer) => answer.status)).toEqual(ids.map(() => 200));
        } finally {
          dataSource.logger = logger;
        }
        // Every answer waited for its row: the rows are there as soon as the last answer is.
        const rows = await dataSource.query<{ request_id: string; type: string; outcome: string; client_id: string }[]>(
          `SELECT "request_id", "type", "outcome", "client_id" FROM "${testEnv.schemaPrefix}auth"."audit_events" WHERE "request_id" LIKE 'req-audit-batch-${burst}-%' ORDER BY "request_id"`,
        );
        expect(rows).toEqual(ids.map((id) => ({ request_id: id, type: 'token.issued', outcome: 'success', client_id: 'orders-service' })));
        expect(statements).toBeGreaterThan(0);
        statementsPerBurst.push(statements);
      }
      expect(Math.min(...statementsPerBurst)).toBeLessThan(40);
    });

    it('fails only the audit row the database refuses, not the rows batched with it', async () => {
      const trail = auth.app.get(AuditTrail);
      const rows = ['a', 'b', 'bad', 'c'].map((name) => ({
        type: 'test.batch',
        outcome: 'success' as const,
        actor: `batch-${name}`,
        details: { note: name === 'bad' ? 'nul \u0000 here' : name },
      }));
      const outcomes = await Promise.allSettled(rows.map((row) => trail.record(row)));
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      const stored = await auth.app
        .get(DataSource)
        .query<{ actor: string }[]>(`SELECT "actor" FROM "${testEnv.schemaPrefix}auth"."audit_events" WHERE "type" = 'test.batch' ORDER BY "actor"`);
      expect(stored.map((row) => row.actor)).toEqual(['batch-a', 'batch-b', 'batch-c']);
    });

    it('refuses a scope beyond the client', async () => {
      const answer = await postForm(
        token,
        { grant_type: 'client_credentials', scope: 'admin' },
        { authorization: basic('orders-service', SECRETS.ORDERS_SERVICE_SECRET) },
      );
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_scope' });
    });

    it('refuses a grant the client may not use', async () => {
      const answer = await postForm(token, { grant_type: 'password', username: 'alice', password: 'x' }, { authorization: basic('ops', SECRETS.OPS_SECRET) });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'unauthorized_client' });
    });
  });

  describe('password', () => {
    it('issues an access token for the account and a refresh token', async () => {
      const answer = await password({ scope: 'orders:read profile' });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ token_type: 'Bearer', scope: 'orders:read profile', refresh_token: expect.stringMatching(/^[\w-]{43}$/) });
      const { payload } = decodeJwt(answer.body.access_token as string);
      expect(payload).toMatchObject({
        aud: 'gatehouse-api',
        tenant_id: 'acme',
        roles: ['admin'],
        email: 'alice@acme.test',
        client_id: 'acme-cli',
        sid: expect.any(String),
      });
    });

    it('answers a wrong password and an unknown user identically', async () => {
      const wrong = await password({ password: 'not the right password' });
      const unknown = await password({ username: 'mallory' });
      expect(wrong.status).toBe(400);
      expect(unknown.status).toBe(400);
      expect(wrong.body).toEqual({ error: 'invalid_grant', error_description: 'The username or password is incorrect.' });
      expect(unknown.body).toEqual(wrong.body);
    });
  });

  describe('refresh_token', () => {
    const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
      postForm(token, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }, { authorization: acme });

    it('rotates on every use and revokes the family when a rotated token comes back', async () => {
      const first = (await password()).body.refresh_token as string;
      const second = await refresh(first);
      expect(second.status).toBe(200);
      const newest = second.body.refresh_token as string;
      expect(newest).not.toBe(first);

      const reuse = await refresh(first);
      expect(reuse.status).toBe(400);
      expect(reuse.body).toMatchObject({ error: 'invalid_grant' });
      const afterReuse = await refresh(newest);
      expect(afterReuse.status).toBe(400);
      expect(afterReuse.body).toMatchObject({ error: 'invalid_grant' });
    });

    it('lets exactly one of two concurrent refreshes succeed (20 runs)', async () => {
      for (let run = 0; run < 20; run++) {
        const start = (await password()).body.refresh_token as string;
        const answers = await Promise.all([refresh(start), refresh(start)]);
        expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
      }
    });

    it('narrows the scope but never widens it', async () => {
      const start = (await password({ scope: 'orders:read' })).body.refresh_token as string;
      const wider = await refresh(start, { scope: 'orders:read orders:write' });
      expect(wider.status).toBe(400);
      expect(wider.body).toMatchObject({ error: 'invalid_scope' });
    });

    it('is bound to its client', async () => {
      const start = (await password()).body.refresh_token as string;
      const stolen = await postForm(token, { grant_type: 'refresh_token', refresh_token: start }, { authorization: basic('ops', SECRETS.OPS_SECRET) });
      expect(stolen.status).toBe(400);
      expect(stolen.body).toMatchObject({ error: 'unauthorized_client' });
    });
  });

  describe('introspection and revocation', () => {
    const introspect = (tokenValue: string, authorization: string) => postForm(`${auth.url}/oauth/introspect`, { token: tokenValue }, { authorization });
    const revoke = (tokenValue: string, authorization: string) => postForm(`${auth.url}/oauth/revoke`, { token: tokenValue }, { authorization });

    it('describes an active token to the client it was issued to', async () => {
      const access = (await password()).body.access_token as string;
      const answer = await introspect(access, acme);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ active: true, sub: expect.any(String), client_id: 'acme-cli', tenant_id: 'acme', token_type: 'Bearer' });
    });

    it('answers exactly {"active":false} for another client, garbage and revoked tokens', async () => {
      const access = (await password()).body.access_token as string;
      expect((await introspect(access, basic('ops', SECRETS.OPS_SECRET))).text).toBe('{"active":false}');
      expect((await introspect('garbage', acme)).text).toBe('{"active":false}');
      expect((await revoke(access, acme)).status).toBe(200);
      expect((await introspect(access, acme)).text).toBe('{"active":false}');
    });

    it('refuses to revoke another client’s token, which stays valid', async () => {
      const access = (await password()).body.access_token as string;
      const refused = await revoke(access, basic('ops', SECRETS.OPS_SECRET));
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: 'unauthorized_client' });
      expect((await introspect(access, acme)).body).toMatchObject({ active: true });
    });

    it('revokes a refresh token with its family, and answers 200 for an unknown token', async () => {
      const answer = await password();
      const refreshToken = answer.body.refresh_token as string;
      expect((await revoke(refreshToken, acme)).status).toBe(200);
      expect((await introspect(refreshToken, acme)).text).toBe('{"active":false}');
      expect((await introspect(answer.body.access_token as string, acme)).text).toBe('{"active":false}');
      expect((await revoke('never-issued', acme)).status).toBe(200);
    });
  });

  describe('accounts', () => {
    it('registers with a strong password and refuses weak ones with a clear message', async () => {
      const register = (body: Record<string, string>) =>
        http(`${auth.url}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const weak = await register({ tenant: 'acme', username: 'bob', email: 'bob@acme.test', password: 'password1234' });
      expect(weak.status).toBe(400);
      expect(weak.body).toMatchObject({ error: 'invalid_request', message: 'The password is a commonly used one.' });
      const named = await register({ tenant: 'acme', username: 'bobby', email: 'bobby@acme.test', password: 'bobby has a long passphrase' });
      expect(named.body).toMatchObject({ error: 'invalid_request', message: 'The password contains the username.' });
      const created = await register({ tenant: 'acme', username: 'bob', email: 'bob@acme.test', password: 'correct horse battery' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ tenant: 'acme', username: 'bob', email: 'bob@acme.test' });
      expect(created.text).not.toContain('password');
      const again = await register({ tenant: 'acme', username: 'BOB', email: 'other@acme.test', password: 'correct horse battery' });
      expect(again.status).toBe(409);
      const unknownField = await register({ tenant: 'acme', username: 'carol', email: 'c@acme.test', password: 'correct horse battery', admin: 'true' });
      expect(unknownField.status).toBe(400);
    });

    it('logs in, answers /auth/me, and logs out for good', async () => {
      const login = await http<Record<string, string>>(`${auth.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenant: 'acme', username: 'alice', password: SECRETS.ALICE_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const bearer = { authorization: `Bearer ${login.body.access_token}` };
      const me = await http(`${auth.url}/auth/me`, { headers: bearer });
      expect(me).toMatchObject({ status: 200, body: { tenantId: 'acme', roles: ['admin'], clientId: 'gatehouse' } });
      expect((await http(`${auth.url}/auth/logout`, { method: 'POST', headers: bearer })).status).toBe(204);
      const after = await http(`${auth.url}/auth/me`, { headers: bearer });
      expect(after.status).toBe(401);
      expect(after.body).toMatchObject({ error: 'invalid_token' });
      expect(after.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse", error="invalid_token"');
    });

    it('answers /auth/me without a token with 401 missing_token and a bare challenge', async () => {
      const answer = await http(`${auth.url}/auth/me`);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: 'missing_token' });
      expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
    });
  });

  describe('discovery', () => {
    it('lists the real endpoints under the issuer, with no empty array', async () => {
      for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
        const answer = await http<Record<string, unknown>>(`${auth.url}${path}`);
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({
          issuer: 'http://gatehouse.test',
          token_endpoint: 'http://gatehouse.test/oauth/token',
          jwks_uri: 'http://gatehouse.test/.well-known/jwks.json',
          introspection_endpoint: 'http://gatehouse.test/oauth/introspect',
          revocation_endpoint: 'http://gatehouse.test/oauth/revoke',
          grant_types_supported: ['authorization_code', 'password', 'client_credentials', 'refresh_token'],
        });
        for (const value of Object.values(answer.body)) if (Array.isArray(value)) expect(value.length).toBeGreaterThan(0);
        // Every advertised endpoint exists on the server (under the issuer's origin at the gateway).
        for (const key of ['token_endpoint', 'introspection_endpoint', 'revocation_endpoint', 'jwks_uri']) {
          const path = new URL(answer.body[key] as string).pathname;
          const method = key === 'jwks_uri' ? 'GET' : 'POST';
          expect({ key, status: (await http(`${auth.url}${path}`, { method })).status }).not.toEqual({ key, status: 404 });
        }
      }
    });
  });
});
