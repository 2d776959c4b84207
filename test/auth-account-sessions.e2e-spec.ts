import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { DataSource } from 'typeorm';
import { authApp } from '../apps/auth/src/auth.app';
import { referenceBootstrap, SECRETS } from './support/bootstrap';
import { http, type HttpResult } from './support/http';
import { basic, decodeJwt, postForm } from './support/oauth';
import { CookieJar } from './support/sign-in';
import { createTestEnv, type TestEnv } from './support/test-env';

const PASSWORD = 'correct horse battery staple';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1';
const SID = /^[0-9a-f]{64}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function expectError(answer: HttpResult, status: number, error: string) {
  expect(answer.status).toBe(status);
  expect(answer.body).toMatchObject({ error, requestId: expect.any(String) });
}

/** A person's own sessions (list, end one, end all) and the Admin API over a user's sessions and account. */
describe('auth: sessions and devices', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  const ids: Record<string, string> = {};

  const openSession = async (username: string, from: string, userAgent: string): Promise<CookieJar> => {
    const answer = await http(`${auth.url}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from, 'user-agent': userAgent },
      body: JSON.stringify({ tenant: 'acme', username, password: PASSWORD }),
    });
    expect(answer.status).toBe(204);
    return new CookieJar().store(answer.headers);
  };
  const passwordGrant = async (username: string, password = PASSWORD) => {
    const answer = await postForm<{ access_token: string; refresh_token: string }>(
      `${auth.url}/oauth/token`,
      { grant_type: 'password', username, password },
      { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) },
    );
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const refresh = (token: string) =>
    postForm(`${auth.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: token }, { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) });
  const asCookie = (jar: CookieJar) => ({ cookie: jar.header() });
  const asBearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const call = <T = unknown>(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
    http<T>(`${auth.url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const mySessions = (headers: Record<string, string>) => call<Record<string, unknown>[]>('GET', '/auth/sessions', headers);
  const audited = (type: string) =>
    auth.app
      .get(DataSource)
      .query<{ actor: string; details: Record<string, unknown> }[]>(
        `SELECT "actor", "details" FROM "${testEnv.schemaPrefix}auth"."audit_events" WHERE "type" = $1 ORDER BY "id"`,
        [type],
      );
  const revocationEvents = (kind: string, value: string) =>
    auth.app
      .get(DataSource)
      .query<unknown[]>(`SELECT "seq" FROM "${testEnv.schemaPrefix}auth"."revocation_events" WHERE "kind" = $1 AND "value" = $2`, [kind, value]);

  beforeAll(async () => {
    testEnv = await createTestEnv({ AUTH_TRUSTED_PROXIES: '127.0.0.1' });
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir) } });
    for (const username of ['rita', 'sam', 'tess', 'uma', 'vera', 'will']) {
      const body = JSON.stringify({ tenant: 'acme', username, email: `${username}@acme.test`, password: PASSWORD });
      const answer = await http<{ id: string }>(`${auth.url}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(answer.status).toBe(201);
      ids[username] = answer.body.id;
    }
  });

  afterAll(async () => {
    await auth?.close();
    await testEnv?.cleanup();
  });

  describe('my sessions', () => {
    it('refuses a request with neither credential, a dead session cookie, and a client acting as itself', async () => {
      const none = await mySessions({});
      expect(none.status).toBe(401);
      expect(none.body).toEqual({ error: 'missing_token', message: 'Authentication is required.', requestId: expect.any(String) });
      expectError(await mySessions({ cookie: `gh_session=${'A'.repeat(43)}` }), 401, 'session_expired');
      expectError(await mySessions(asBearer('not-a-token')), 401, 'invalid_token');
      const client = await postForm<{ access_token: string }>(
        `${auth.url}/oauth/token`,
        { grant_type: 'client_credentials' },
        { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) },
      );
      expectError(await mySessions(asBearer(client.body.access_token)), 403, 'forbidden');
      expectError(await call('POST', '/auth/logout-everywhere'), 401, 'missing_token');
      expectError(await call('DELETE', `/auth/sessions/${'a'.repeat(64)}`), 401, 'missing_token');
    });

    it('lists the live sessions with device, address, times and which one is this', async () => {
      const laptop = await openSession('rita', '203.0.113.1', FIREFOX);
      const phone = await openSession('rita', '203.0.113.2', SAFARI);
      const listed = await mySessions(asCookie(laptop));
      expect(listed.status).toBe(200);
      expect(listed.headers.get('cache-control')).toBe('no-store');
      const session = (device: string, address: string, current: boolean) => ({
        id: expect.stringMatching(SID),
        kind: 'browser',
        device,
        address,
        createdAt: expect.stringMatching(ISO),
        lastSeenAt: expect.stringMatching(ISO),
        current,
      });
      expect(listed.body).toHaveLength(2);
      expect(listed.body).toEqual(expect.arrayContaining([session('Firefox on Linux', '203.0.113.1', true), session('Safari on iOS', '203.0.113.2', false)]));
      expect((await mySessions(asCookie(phone))).body.filter((entry) => entry.current).map((entry) => entry.device)).toEqual(['Safari on iOS']);
      // A bearer token of the password grant lists the same sessions, and its own login after them, current.
      const tokens = await passwordGrant('rita');
      const withApi = await mySessions(asBearer(tokens.access_token));
      expect(withApi.body.map((entry) => entry.current)).toEqual([false, false, true]);
      expect(withApi.body[2]).toEqual({
        id: decodeJwt(tokens.access_token).payload.sid,
        kind: 'api',
        device: 'API client acme-cli',
        address: null,
        createdAt: expect.stringMatching(ISO),
        lastSeenAt: expect.stringMatching(ISO),
        current: true,
      });
    });

    it('ends one of my sessions, with its revocation event; never one of somebody else', async () => {
      const mine = await openSession('sam', '203.0.113.3', FIREFOX);
      const other = await openSession('sam', '203.0.113.4', SAFARI);
      const theirs = await openSession('tess', '203.0.113.5', FIREFOX);
      const theirId = (await mySessions(asCookie(theirs))).body[0].id as string;
      const otherId = ((await mySessions(asCookie(other))).body.find((entry) => entry.current)?.id ?? '') as string;
      expectError(await call('DELETE', '/auth/sessions/not-a-session-id', asCookie(mine)), 400, 'invalid_request');
      expectError(await call('DELETE', `/auth/sessions/${theirId}`, asCookie(mine)), 404, 'not_found');
      expect((await mySessions(asCookie(theirs))).status).toBe(200);

      const ended = await call('DELETE', `/auth/sessions/${otherId}`, asCookie(mine));
      expect(ended.status).toBe(204);
      expectError(await mySessions(asCookie(other)), 401, 'session_expired');
      expect((await mySessions(asCookie(mine))).body).toHaveLength(1);
      expect(await revocationEvents('sid', otherId)).toHaveLength(1);
      expectError(await call('DELETE', `/auth/sessions/${otherId}`, asCookie(mine)), 404, 'not_found');
      expect((await audited('session.ended')).map((row) => row.details)).toContainEqual({ account: ids.sam, sid: otherId });
    });

    it('ends an API login (password grant) by its id: its refresh tokens and access tokens stop', async () => {
      const cli = await passwordGrant('tess');
      const sid = decodeJwt(cli.access_token).payload.sid as string;
      const other = await passwordGrant('tess');
      expect((await call('DELETE', `/auth/sessions/${sid}`, asBearer(other.access_token))).status).toBe(204);
      expect((await refresh(cli.refresh_token)).body).toMatchObject({ error: 'invalid_grant' });
      expectError(await call('GET', '/auth/me', asBearer(cli.access_token)), 401, 'invalid_token');
      expect(await revocationEvents('sid', sid)).toHaveLength(1);
      expect((await mySessions(asBearer(other.access_token))).body.map((entry) => entry.id)).not.toContain(sid);
      expectError(await call('DELETE', `/auth/sessions/${sid}`, asBearer(other.access_token)), 404, 'not_found');
    });

    it('logs out everywhere: every session, refresh token and access token of the person, and clears the cookie', async () => {
      const browser = await openSession('uma', '203.0.113.6', FIREFOX);
      const tokens = await passwordGrant('uma');
      const answer = await call('POST', '/auth/logout-everywhere', asCookie(browser));
      expect(answer.status).toBe(204);
      expect(answer.headers.getSetCookie()).toEqual(['gh_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0']);
      expectError(await mySessions(asCookie(browser)), 401, 'session_expired');
      expect((await refresh(tokens.refresh_token)).body).toMatchObject({ error: 'invalid_grant' });
      expectError(await call('GET', '/auth/me', asBearer(tokens.access_token)), 401, 'invalid_token');
      // Every token carries the sid of its session or family, each ended with its event; no subject watermark.
      expect(await revocationEvents('sid', decodeJwt(tokens.access_token).payload.sid as string)).toHaveLength(1);
      expect(await revocationEvents('subject', ids.uma)).toEqual([]);
      // Logging in again works: nothing was disabled.
      expect((await mySessions(asBearer((await passwordGrant('uma')).access_token))).status).toBe(200);
    });
  });

  describe('the Admin API over a user', () => {
    let alice: string;
    let ops: string;
    const admin = <T = Record<string, unknown>>(token: string, method: string, path: string, body?: unknown) => call<T>(method, path, asBearer(token), body);

    beforeAll(async () => {
      alice = (await passwordGrant('alice', SECRETS.ALICE_PASSWORD)).access_token;
      const answer = await postForm<{ access_token: string }>(
        `${auth.url}/oauth/token`,
        { grant_type: 'client_credentials' },
        { authorization: basic('ops', SECRETS.OPS_SECRET) },
      );
      ops = answer.body.access_token;
    });

    it('refuses a plain user, a tenant administrator outside their tenant, and an unknown user', async () => {
      const vera = (await passwordGrant('vera')).access_token;
      expectError(await admin(vera, 'GET', `/admin/users/${ids.will}/sessions`), 403, 'forbidden');
      expectError(await admin(vera, 'PATCH', `/admin/users/${ids.will}`, { roles: ['admin'] }), 403, 'forbidden');
      expectError(await admin(alice, 'GET', `/admin/users/${ids.will}/sessions?tenant=other`), 403, 'forbidden');
      expectError(await admin(alice, 'POST', `/admin/users/${ids.will}/enable?tenant=other`), 403, 'forbidden');
      expectError(await admin(alice, 'GET', '/admin/users/00000000-0000-4000-8000-000000000000/sessions'), 404, 'not_found');
      expectError(await admin(alice, 'GET', '/admin/users/not-a-uuid/sessions'), 400, 'invalid_request');
      expectError(await admin(ops, 'GET', `/admin/users/${ids.will}/sessions`), 400, 'invalid_request');
      expectError(await call('GET', `/admin/users/${ids.will}/sessions`), 401, 'missing_token');
    });

    it('refuses bad updates: nothing to change, a malformed role or email, an email taken, unknown fields', async () => {
      expectError(await admin(alice, 'PATCH', `/admin/users/${ids.will}`, {}), 400, 'invalid_request');
      expectError(await admin(alice, 'PATCH', `/admin/users/${ids.will}`, { roles: ['Not A Role'] }), 400, 'invalid_request');
      expectError(await admin(alice, 'PATCH', `/admin/users/${ids.will}`, { email: 'nope' }), 400, 'invalid_request');
      expectError(await admin(alice, 'PATCH', `/admin/users/${ids.will}`, { email: 'VERA@acme.test' }), 409, 'conflict');
      expectError(await admin(alice, 'PATCH', `/admin/users/${ids.will}`, { username: 'bill' }), 400, 'invalid_request');
    });

    it("updates a user's email and roles, audited; removing a role revokes the tokens issued with it", async () => {
      const granted = await admin(alice, 'PATCH', `/admin/users/${ids.will}`, { email: 'william@acme.test', roles: ['support'] });
      expect(granted.status).toBe(200);
      expect(granted.body).toEqual({
        id: ids.will,
        tenant: 'acme',
        username: 'will',
        email: 'william@acme.test',
        roles: ['support'],
        status: 'active',
        createdAt: expect.stringMatching(ISO),
      });
      const tokens = await passwordGrant('will');
      expect((await call<{ roles: string[] }>('GET', '/auth/me', asBearer(tokens.access_token))).body.roles).toEqual(['support']);
      const demoted = await admin(ops, 'PATCH', `/admin/users/${ids.will}?tenant=acme`, { roles: [] });
      expect(demoted.body).toMatchObject({ roles: [] });
      expect(await revocationEvents('subject', ids.will)).toHaveLength(1);
      const refreshed = await refresh(tokens.refresh_token);
      expect(refreshed.status).toBe(200);
      const me = await call<{ roles: string[] }>('GET', '/auth/me', asBearer((refreshed.body as { access_token: string }).access_token));
      expect(me.body.roles).toEqual([]);
      const rows = await audited('admin.user.updated');
      expect(rows.map((row) => row.details)).toEqual([
        { account: ids.will, fields: ['email', 'roles'], roles: ['support'], removedRoles: [] },
        { account: ids.will, fields: ['roles'], roles: [], removedRoles: ['support'] },
      ]);
      const aliceId = (await call<{ sub: string }>('GET', '/auth/me', asBearer(alice))).body.sub;
      expect(rows.map((row) => row.actor)).toEqual([aliceId, 'client:ops']);
    });

    it("lists and ends a user's sessions, one or all, each audited", async () => {
      const first = await openSession('vera', '203.0.113.8', FIREFOX);
      await openSession('vera', '203.0.113.9', SAFARI);
      const listed = await admin<Record<string, unknown>[]>(alice, 'GET', `/admin/users/${ids.vera}/sessions`);
      expect(listed.status).toBe(200);
      expect(listed.body.map((entry) => [entry.device, entry.address, entry.current]).sort()).toEqual([
        ['API client acme-cli', null, false],
        ['Firefox on Linux', '203.0.113.8', false],
        ['Safari on iOS', '203.0.113.9', false],
      ]);
      const firefox = listed.body.find((entry) => entry.device === 'Firefox on Linux')?.id as string;
      expect((await admin(alice, 'DELETE', `/admin/users/${ids.vera}/sessions/${firefox}`)).status).toBe(204);
      expectError(await mySessions(asCookie(first)), 401, 'session_expired');
      expectError(await admin(alice, 'DELETE', `/admin/users/${ids.will}/sessions/${firefox}`), 404, 'not_found');
      expect((await admin<unknown[]>(alice, 'GET', `/admin/users/${ids.vera}/sessions`)).body).toHaveLength(2);
      const tokens = await passwordGrant('vera');
      expect((await admin(alice, 'DELETE', `/admin/users/${ids.vera}/sessions`)).status).toBe(204);
      expect((await admin<unknown[]>(alice, 'GET', `/admin/users/${ids.vera}/sessions`)).body).toEqual([]);
      expect((await refresh(tokens.refresh_token)).body).toMatchObject({ error: 'invalid_grant' });
      expect((await audited('session.ended')).map((row) => row.details)).toContainEqual({ account: ids.vera, sid: firefox });
      expect((await audited('session.ended_everywhere')).map((row) => row.details)).toContainEqual({
        account: ids.vera,
        cause: 'logout',
        sessions: 1,
        families: 2,
      });
    });

    it('disables a user, ending every session and refresh token, and enables them again, audited', async () => {
      const browser = await openSession('sam', '203.0.113.10', FIREFOX);
      const tokens = await passwordGrant('sam');
      expect((await admin(alice, 'POST', `/admin/users/${ids.sam}/disable`)).body).toMatchObject({ status: 'disabled' });
      expect((await admin<unknown[]>(alice, 'GET', `/admin/users/${ids.sam}/sessions`)).body).toEqual([]);
      expectError(await mySessions(asCookie(browser)), 401, 'session_expired');
      expect((await refresh(tokens.refresh_token)).body).toMatchObject({ error: 'invalid_grant' });
      const refused = await postForm(
        `${auth.url}/oauth/token`,
        { grant_type: 'password', username: 'sam', password: PASSWORD },
        { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) },
      );
      expect(refused.body).toMatchObject({ error: 'invalid_grant' });

      const enabled = await admin(alice, 'POST', `/admin/users/${ids.sam}/enable`);
      expect(enabled.status).toBe(200);
      expect(enabled.body).toMatchObject({ id: ids.sam, status: 'active' });
      expect((await passwordGrant('sam')).access_token).toEqual(expect.any(String));
      expect((await audited('admin.user.enabled')).map((row) => row.details)).toEqual([{ account: ids.sam }]);
    });
  });
});
