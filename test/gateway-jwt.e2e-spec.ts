import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../apps/auth/src/auth.app';
import { KeyStore } from '../apps/auth/src/keys/key-store.service';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { referenceBootstrap, SECRETS } from './support/bootstrap';
import { type Echo, EchoUpstream } from './support/echo-upstream';
import { http, rawHttp } from './support/http';
import { basic, decodeJwt, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

// jose ships ES modules only; jest transforms it, tsc needs the import-mode type.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jose = require('jose') as typeof import('jose', { with: { 'resolution-mode': 'import' } });

const ISSUER = 'http://gateway.test';
const ROUTES = `
routes:
  - { prefix: /oauth, upstream: AUTH_INTERNAL_URL, auth: public }
  - { prefix: /users, upstream: USERS_URL, auth: jwt }
  - { prefix: /headers, upstream: USERS_URL, auth: jwt, propagation: headers }
  - { prefix: /pass, upstream: USERS_URL, auth: jwt, propagation: pass-through }
  - { prefix: /writers, upstream: USERS_URL, auth: jwt, scopes: [orders:write, orders:read] }
  - { prefix: /admins, upstream: USERS_URL, auth: jwt, roles: [admin, auditor] }
  - { prefix: /introspected, upstream: USERS_URL, auth: introspection, propagation: headers }
`;
const CHALLENGE = 'Bearer realm="gatehouse"';
const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWS signed as given, for headers a JOSE library would refuse to produce. */
function signRaw(header: Record<string, unknown>, payload: object, key: KeyObject): string {
  const input = `${segment(header)}.${segment(payload)}`;
  const signature = sign('sha256', Buffer.from(input), key.asymmetricKeyType === 'ec' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${signature.toString('base64url')}`;
}
const INVALID = `${CHALLENGE}, error="invalid_token"`;

describe('gateway: jwt authentication, authorization and identity propagation', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  let auth: RunningApp;
  let gateway: RunningApp;
  let alice: string;
  let aliceRefresh: string;
  let ops: string;

  /** A token signed with the auth app's active key, with any header or claim changed. */
  async function forge(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key?: KeyObject): Promise<string> {
    const signing = await auth.app.get(KeyStore).signingKey();
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: ISSUER,
      sub: 'u-1',
      aud: 'gatehouse-api',
      exp: now + 300,
      iat: now,
      nbf: now,
      jti: `j-${Math.random()}`,
      client_id: 'acme-cli',
      scope: 'profile',
      roles: [],
      ...claims,
    };
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name as keyof typeof payload];
    return new jose.SignJWT(payload).setProtectedHeader({ alg: signing.alg, typ: 'at+jwt', kid: signing.kid, ...header }).sign(key ?? signing.privateKey);
  }

  const call = (path: string, token?: string, headers: Record<string, string> = {}) =>
    http<Echo>(`${gateway.url}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

  function expectRefused(answer: { status: number; body: unknown; headers: Headers }, status: number, code: string, challenge?: string) {
    expect({ status: answer.status, body: answer.body }).toEqual({ status, body: { error: code, message: expect.any(String), requestId: expect.any(String) } });
    expect(answer.headers.get('www-authenticate')).toBe(challenge ?? null);
  }

  beforeAll(async () => {
    upstream = new EchoUpstream();
    const upstreamUrl = await upstream.start();
    testEnv = await createTestEnv({ AUTH_ISSUER: ISSUER });
    const routes = join(testEnv.dataDir, 'routes.yaml');
    writeFileSync(routes, ROUTES);
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir) } });
    gateway = await startApp(gatewayApp, {
      env: { ...testEnv.env, GATEWAY_ROUTES_FILE: routes, USERS_URL: upstreamUrl, GATEWAY_CLIENT_SECRET: SECRETS.GATEWAY_CLIENT_SECRET },
    });
    const login = await postForm<{ access_token: string; refresh_token: string }>(
      `${gateway.url}/oauth/token`,
      { grant_type: 'password', username: 'alice', password: SECRETS.ALICE_PASSWORD, scope: 'orders:read orders:write profile' },
      { authorization: basic('acme-cli', SECRETS.ACME_CLI_SECRET) },
    );
    alice = login.body.access_token;
    aliceRefresh = login.body.refresh_token;
    ops = (
      await postForm<{ access_token: string }>(
        `${gateway.url}/oauth/token`,
        { grant_type: 'client_credentials' },
        { authorization: basic('ops', SECRETS.OPS_SECRET) },
      )
    ).body.access_token;
  });

  afterAll(async () => {
    await gateway?.close();
    await auth?.close();
    await upstream?.close();
    await testEnv?.cleanup();
  });

  describe('refuses, with the exact status, code and challenge', () => {
    it('no token: 401 missing_token, a bare challenge', async () => expectRefused(await call('/users/me'), 401, 'missing_token', CHALLENGE));

    it('another scheme: 401 missing_token, a bare challenge', async () => {
      expectRefused(await call('/users/me', undefined, { authorization: 'Basic YTpi' }), 401, 'missing_token', CHALLENGE);
    });

    it('two Authorization headers: 400 invalid_request', async () => {
      const answer = await rawHttp(gateway.url, 'GET', '/users/me', [`authorization: Bearer ${alice}`, `authorization: Bearer ${alice}`]);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_request' });
      expect(answer.head).toContain('www-authenticate: Bearer realm="gatehouse", error="invalid_request"');
    });

    it('a token in the query string, with or without a header: 400 invalid_request', async () => {
      for (const token of [alice, undefined]) {
        expectRefused(await call(`/users/me?access_token=${alice}`, token), 400, 'invalid_request', `${CHALLENGE}, error="invalid_request"`);
      }
    });

    it('expired beyond the leeway: 401 token_expired', async () => {
      const now = Math.floor(Date.now() / 1000);
      expectRefused(await call('/users/me', await forge({ exp: now - 31, iat: now - 600, nbf: now - 600 })), 401, 'token_expired', INVALID);
    });

    it('not yet valid beyond the leeway: 401 invalid_claims', async () => {
      expectRefused(await call('/users/me', await forge({ nbf: Math.floor(Date.now() / 1000) + 120 })), 401, 'invalid_claims', INVALID);
    });

    it('issued in the future beyond the leeway: 401 invalid_claims', async () => {
      expectRefused(await call('/users/me', await forge({ iat: Math.floor(Date.now() / 1000) + 120 })), 401, 'invalid_claims', INVALID);
    });

    it('wrong iss: 401 invalid_claims', async () => {
      expectRefused(await call('/users/me', await forge({ iss: 'http://evil.test' })), 401, 'invalid_claims', INVALID);
    });

    it('wrong aud: 401 invalid_claims', async () => {
      expectRefused(await call('/users/me', await forge({ aud: 'users' })), 401, 'invalid_claims', INVALID);
    });

    it('missing required claims: 401 invalid_claims', async () => {
      for (const missing of ['jti', 'sub', 'client_id', 'exp']) {
        expectRefused(await call('/users/me', await forge({ [missing]: undefined })), 401, 'invalid_claims', INVALID);
      }
    });

    it('wrong typ: 401 invalid_token', async () => {
      expectRefused(await call('/users/me', await forge({}, { typ: 'JWT' })), 401, 'invalid_token', INVALID);
    });

    it('a crit header: 401 invalid_token, though the signature is good', async () => {
      const signing = await auth.app.get(KeyStore).signingKey();
      const token = signRaw({ alg: signing.alg, typ: 'at+jwt', kid: signing.kid, crit: ['urn:x'], 'urn:x': 1 }, decodeJwt(alice).payload, signing.privateKey);
      expectRefused(await call('/users/me', token), 401, 'invalid_token', INVALID);
    });

    it('alg none: 401 invalid_token', async () => {
      const kid = decodeJwt(alice).header.kid;
      const none = `${segment({ alg: 'none', typ: 'at+jwt', kid })}.${segment(decodeJwt(alice).payload)}.`;
      expectRefused(await call('/users/me', none), 401, 'invalid_token', INVALID);
    });

    it('HS256 signed with the public key as the secret: 401 invalid_token', async () => {
      const signing = await auth.app.get(KeyStore).signingKey();
      const publicPem = (await auth.app.get(KeyStore).verificationKey(signing.kid))?.publicKey.export({ type: 'spki', format: 'pem' });
      const hs = await new jose.SignJWT(decodeJwt(alice).payload)
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: signing.kid })
        .sign(Buffer.from(String(publicPem)));
      expectRefused(await call('/users/me', hs), 401, 'invalid_token', INVALID);
    });

    it('an unknown kid: 401 unknown_signing_key', async () => {
      expectRefused(await call('/users/me', await forge({}, { kid: 'no-such-kid' })), 401, 'unknown_signing_key', INVALID);
    });

    it('a foreign key presented under a known kid: 401 invalid_token', async () => {
      const signing = await auth.app.get(KeyStore).signingKey();
      const { privateKey } = signing.alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
      expectRefused(await call('/users/me', await forge({}, {}, privateKey)), 401, 'invalid_token', INVALID);
    });

    it('an oversized token: 401 invalid_token, before any parsing', async () => {
      expectRefused(await call('/users/me', await forge({ pad: 'x'.repeat(9000) })), 401, 'invalid_token', INVALID);
    });
  });

  describe('lets a good token through, once authorized, with the identity the route propagates', () => {
    const forged = { 'x-user-id': 'root', 'x-tenant-id': 'evil', 'x-user-roles': 'admin', 'x-subject-type': 'client' };
    const aliceClaims = () => decodeJwt(alice).payload;

    it('accepts a forged-shape token signed right (the control for every refusal above), and one expired within the leeway', async () => {
      expect((await call('/pass/x', await forge())).status).toBe(200);
      const now = Math.floor(Date.now() / 1000);
      expect((await call('/pass/x', await forge({ exp: now - 10 }))).status).toBe(200);
    });

    it('internal-token: the service receives a gateway-signed token with exactly the identity of the access token', async () => {
      const answer = await call('/users/me', alice, { ...forged, 'x-request-id': 'req-internal-000001' });
      expect(answer.status).toBe(200);
      for (const name of Object.keys(forged)) expect(answer.body.headers[name]).toBeUndefined();
      const internal = String(answer.body.headers.authorization).replace(/^Bearer /, '');
      expect(internal).not.toBe(alice);
      const keys = jose.createRemoteJWKSet(new URL(`${gateway.url}/.well-known/internal-jwks.json`));
      const { payload, protectedHeader } = await jose.jwtVerify(internal, keys, {
        issuer: 'gatehouse-gateway',
        audience: 'users',
        typ: 'gh-internal+jwt',
        algorithms: ['ES256'],
      });
      const claims = aliceClaims();
      expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'gh-internal+jwt' });
      expect(payload).toMatchObject({
        sub: claims.sub,
        tenant_id: 'acme',
        roles: ['admin'],
        scope: claims.scope,
        client_id: 'acme-cli',
        request_id: 'req-internal-000001',
      });
      expect(payload.exp).toBeLessThanOrEqual(Math.min(Number(claims.exp), Math.floor(Date.now() / 1000) + 300));
      expect(answer.body.headers['x-request-id']).toBe('req-internal-000001');
    });

    it('internal-token: minted once per access token and audience, then reused', async () => {
      const first = (await call('/users/me', alice)).body.headers.authorization;
      const second = (await call('/users/other', alice)).body.headers.authorization;
      expect(second).toBe(first);
    });

    it('headers: X-User-* set from the token, Authorization removed, forged values replaced', async () => {
      const answer = await call('/headers/me', alice, forged);
      const claims = aliceClaims();
      expect(answer.body.headers).toMatchObject({
        'x-user-id': claims.sub,
        'x-user-email': 'alice@acme.test',
        'x-user-roles': 'admin',
        'x-tenant-id': 'acme',
        'x-client-id': 'acme-cli',
        'x-token-scopes': claims.scope,
        'x-subject-type': 'user',
      });
      expect(answer.body.headers.authorization).toBeUndefined();
      const client = await call('/headers/me', ops, forged);
      expect(client.body.headers).toMatchObject({ 'x-user-id': 'client:ops', 'x-subject-type': 'client', 'x-user-roles': '' });
      expect(client.body.headers['x-tenant-id']).toBeUndefined();
    });

    it("pass-through: the caller's token as sent, and still no forged identity", async () => {
      const answer = await call('/pass/me', alice, forged);
      expect(answer.body.headers.authorization).toBe(`Bearer ${alice}`);
      for (const name of Object.keys(forged)) expect(answer.body.headers[name]).toBeUndefined();
    });

    it('route scopes, all of them: 403 insufficient_scope naming the scopes', async () => {
      expectRefused(await call('/writers/x', ops), 403, 'insufficient_scope', `${CHALLENGE}, error="insufficient_scope", scope="orders:write orders:read"`);
      expect((await call('/writers/x', alice)).status).toBe(200);
    });

    it('route roles, any one of them: 403 forbidden', async () => {
      expectRefused(await call('/admins/x', ops), 403, 'forbidden', `${CHALLENGE}, error="insufficient_scope"`);
      expect((await call('/admins/x', alice)).status).toBe(200);
    });

    it('passes X-Correlation-Id on, or starts one from the request id', async () => {
      const kept = await call('/users/me', alice, { 'x-correlation-id': 'corr-0123456789' });
      expect(kept.body.headers['x-correlation-id']).toBe('corr-0123456789');
      const started = await call('/users/me', alice);
      expect(started.body.headers['x-correlation-id']).toBe(started.body.headers['x-request-id']);
    });

    it('reports the JWKS cache in /health/ready and /metrics', async () => {
      const ready = await http<{ details: Record<string, { status: string }> }>(`${gateway.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body.details.jwks).toEqual({ status: 'up' });
      const metrics = (await http(`${gateway.url}/metrics`)).text;
      expect(metrics).toMatch(/gatehouse_jwks_usable\{issuer="http:\/\/gateway.test",app="gateway"\} 1/);
      expect(metrics).toMatch(/gatehouse_jwks_keys\{issuer="http:\/\/gateway.test",app="gateway"\} [1-9]/);
    });
  });

  describe('introspection mode: the auth app decides (RFC 7662)', () => {
    it('lets an active access token through with the identity the auth app reports', async () => {
      const answer = await call('/introspected/me', alice, { 'x-user-id': 'root' });
      expect(answer.status).toBe(200);
      expect(answer.body.headers).toMatchObject({ 'x-user-id': decodeJwt(alice).payload.sub, 'x-tenant-id': 'acme', 'x-user-roles': 'admin' });
    });

    it('refuses no token, an unknown token, a refresh token and a revoked token', async () => {
      expectRefused(await call('/introspected/me'), 401, 'missing_token', CHALLENGE);
      expectRefused(await call('/introspected/me', 'opaque-garbage-0123456789'), 401, 'inactive_token', INVALID);
      expectRefused(await call('/introspected/me', aliceRefresh), 401, 'inactive_token', INVALID);
      const acme = basic('acme-cli', SECRETS.ACME_CLI_SECRET);
      const fresh = (await postForm<{ access_token: string }>(`${gateway.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: acme })).body
        .access_token;
      expect((await postForm(`${gateway.url}/oauth/revoke`, { token: fresh }, { authorization: acme })).status).toBe(200);
      expectRefused(await call('/introspected/me', fresh), 401, 'inactive_token', INVALID);
    });
  });
});
