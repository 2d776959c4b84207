import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { ADMIN_BOOTSTRAP_CLIENTS, ADMIN_BOOTSTRAP_USERS, ADMIN_SECRET, AdminApi } from './support/admin-api';
import { http, rawHttp } from './support/http';
import { basic, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

const OAUTH_ENDPOINTS = ['/oauth/token', '/oauth/introspect', '/oauth/revoke'];
const INVALID_CLIENT = { error: 'invalid_client', error_description: 'Client authentication failed.' };
const base64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');
// JSON text with a lone UTF-16 surrogate, as a client can send it: JSON.stringify would escape it too.
const LONE_SURROGATE = '"\\ud800"';

/** Malformed input of every kind the auth app receives: each is a 4xx on the wire contract, never a 5xx. */
describe('auth: malformed input is refused, never a 500', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let api: AdminApi;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    const bootstrap = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(bootstrap, ['tenants:', '  - { id: acme, name: Acme }', 'clients:', ADMIN_BOOTSTRAP_CLIENTS, 'users:', ADMIN_BOOTSTRAP_USERS].join('\n'));
    auth = await startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: bootstrap, AUTH_ISSUER: 'http://gatehouse.test' } });
    api = new AdminApi(auth.url);
    await api.signInAsEveryone();
  });

  afterAll(async () => {
    await auth?.close();
    await testEnv?.cleanup();
  });

  describe('HTTP Basic client credentials', () => {
    const malformed: Record<string, string> = {
      'a percent-encoded NUL in the id': `Basic ${base64('ops%00:secret')}`,
      'a raw NUL in the id': `Basic ${base64('ops\u0000:secret')}`,
      'a raw NUL in the secret': `Basic ${base64('ops:sec\u0000ret')}`,
      'malformed base64': 'Basic b3Bz!!!OnNlY3JldA==',
      'no colon': `Basic ${base64('ops-without-secret')}`,
      'an empty value': 'Basic ',
    };
    for (const endpoint of OAUTH_ENDPOINTS) {
      it.each(Object.entries(malformed))(`${endpoint}: %s is 401 invalid_client, no-store`, async (_name, authorization) => {
        const answer = await postForm(`${auth.url}${endpoint}`, { grant_type: 'client_credentials', token: 'x' }, { authorization });
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual(INVALID_CLIENT);
        expect(answer.headers.get('cache-control')).toBe('no-store');
        expect(answer.headers.get('www-authenticate')).toBe('Basic realm="gatehouse", charset="UTF-8"');
      });
    }
  });

  describe('two Authorization headers', () => {
    it.each(OAUTH_ENDPOINTS)('%s answers 400 invalid_request', async (endpoint) => {
      const credential = basic('ops', 'irrelevant-secret');
      const body = 'grant_type=client_credentials&token=x';
      const headers = [
        `authorization: ${credential}`,
        `authorization: ${credential}`,
        'content-type: application/x-www-form-urlencoded',
        `content-length: ${body.length}`,
      ];
      const answer = await rawHttp(auth.url, 'POST', endpoint, headers, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: 'invalid_request', error_description: 'Send exactly one Authorization header.' });
      expect(answer.head).toMatch(/\r\ncache-control: no-store\r\n/i);
    });
  });

  describe('lone UTF-16 surrogates', () => {
    const json = (path: string, text: string, token?: string) =>
      http(`${auth.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: text,
      });

    it.each([
      ['/auth/register', 'username', `{"tenant":"acme","username":${LONE_SURROGATE},"email":"x@acme.test","password":"a long enough password"}`],
      ['/auth/register', 'email', `{"tenant":"acme","username":"carol","email":${LONE_SURROGATE},"password":"a long enough password"}`],
      ['/auth/login', 'username', `{"tenant":"acme","username":${LONE_SURROGATE},"password":"whatever it is"}`],
      ['/auth/session', 'username', `{"tenant":"acme","username":${LONE_SURROGATE},"password":"whatever it is"}`],
    ])('%s refuses one in %s with 400 invalid_request naming the field', async (path, field, body) => {
      const answer = await json(path, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        error: 'invalid_request',
        message: `Invalid input: ${field} must not contain unpaired surrogates`,
        requestId: expect.any(String),
      });
    });

    it('POST /admin/users refuses one in the email', async () => {
      const answer = await api.call('alice', 'POST', '/admin/users', {
        tenant: 'acme',
        username: 'dave',
        email: '\ud800@acme.test',
        password: 'a long enough password',
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_request', message: 'Invalid input: email must not contain unpaired surrogates' });
    });

    it('an OAuth form keeps a percent-encoded surrogate (CESU-8 bytes) as the literal text, which fails like any unknown user', async () => {
      const answer = await http(`${auth.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('acme-cli', ADMIN_SECRET.ACME) },
        body: 'grant_type=password&username=%ED%A0%80&password=x',
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_grant' });
    });
  });

  describe('JSON too deep or too wide to validate', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    it.each([
      ['/auth/register', `{"tenant":"acme","username":"carol","email":"c@acme.test","password":${deep}}`, 'nested deeper than 32 levels'],
      ['/auth/login', `{"tenant":"acme","username":${deep},"password":"x"}`, 'nested deeper than 32 levels'],
      ['/auth/session', `{"tenant":"acme","username":"a","password":[${'"x",'.repeat(1_000)}"x"]}`, 'an object or array has more than 1000 entries'],
    ])('%s answers 400 invalid_request', async (path, body, problem) => {
      const answer = await http(`${auth.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: 'invalid_request', message: `Invalid input: ${problem}`, requestId: expect.any(String) });
    });
  });

  describe("the framework's own refusals, in the platform's shape", () => {
    const platformError = (code: string) => ({ error: code, message: expect.any(String), requestId: expect.any(String) });

    it('malformed JSON is 400 invalid_request, without the parser message', async () => {
      const answer = await http(`${auth.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"tenant":' });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        error: 'invalid_request',
        message: 'The request is malformed or missing a required parameter.',
        requestId: expect.any(String),
      });
    });

    it.each([
      ['malformed JSON', 'application/json', '{"grant_type":'],
      ['a type with no parser', 'application/xml', '<grant_type/>'],
    ])('an OAuth endpoint answers %s with an RFC 6749 invalid_request', async (_name, type, body) => {
      const answer = await http(`${auth.url}/oauth/token`, { method: 'POST', headers: { 'content-type': type, authorization: basic('ops', 'x') }, body });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: 'invalid_request', error_description: 'The request body is malformed or of an unsupported type.' });
      expect(answer.headers.get('cache-control')).toBe('no-store');
    });

    it('a path parameter over the router limit is 414 uri_too_long, without echoing the path', async () => {
      const answer = await rawHttp(auth.url, 'POST', `/admin/users/${'p'.repeat(2_000)}/disable`, []);
      expect(answer.status).toBe(414);
      expect(answer.body).toEqual(platformError('uri_too_long'));
      expect(answer.head + JSON.stringify(answer.body)).not.toContain('pppppppp');
      expect(answer.head).toMatch(/\r\ncache-control: no-store\r\n/i);
    });

    it('a path parameter as long as the longest id the platform issues (a 128-character client id) still reaches its route', async () => {
      const answer = await api.call('ops', 'POST', `/admin/clients/${'c'.repeat(128)}/disable`);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual(platformError('not_found'));
    });

    it('a URL that cannot be decoded is 400 invalid_request', async () => {
      const answer = await rawHttp(auth.url, 'GET', '/admin/users/%E0%A4%A', []);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(platformError('invalid_request'));
    });

    it.each([
      ['headers', '/health/live', [`x-filler: ${'h'.repeat(20_000)}`]],
      ['a URL', `/auth/${'u'.repeat(20_000)}`, []],
    ])('%s over the header size limit are 431 headers_too_large, without echo', async (_name, path, headers) => {
      const answer = await rawHttp(auth.url, 'GET', path, headers);
      expect(answer.status).toBe(431);
      expect(answer.body).toEqual(platformError('headers_too_large'));
      expect(answer.head).toMatch(/\r\nx-request-id: [0-9a-f-]{36}\r\n/i);
      expect(JSON.stringify(answer.body)).not.toMatch(/hhhhhhhh|uuuuuuuu/);
    });

    it('a request line Node cannot parse is 400 invalid_request', async () => {
      const answer = await rawHttp(auth.url, 'GET /x', '/health/live', []);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(platformError('invalid_request'));
    });
  });
});
