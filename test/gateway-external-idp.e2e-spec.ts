import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { exportJWK, type JWTPayload, SignJWT } from 'jose';
import { authApp } from '../apps/auth/src/auth.app';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { type Echo, EchoUpstream } from './support/echo-upstream';
import { basic, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

const PASSWORD = 'a long enough passphrase for tests';
const SECRET = { acme: 'acme-secret-0123456789abcdefghijklmn', gateway: 'gateway-secret-0123456789abcdefghij' };
const ISSUER = 'http://gateway.test';

/** A tenant's own identity provider: a key pair and a JWKS endpoint, as Keycloak or Auth0 would serve. */
class TestIdentityProvider {
  readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  readonly kid = 'idp-key-1';
  private readonly server: Server;
  url = '';

  constructor() {
    this.server = createServer((request, response) => {
      void exportJWK(this.keys.publicKey).then((jwk) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: [{ ...jwk, kid: this.kid, alg: 'ES256', use: 'sig' }] }));
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  sign(claims: JWTPayload, options: { typ?: string; key?: KeyObject; kid?: string } = {}): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: options.typ ?? 'JWT', kid: options.kid ?? this.kid })
      .sign(options.key ?? this.keys.privateKey);
  }
}

interface Answer {
  status: number;
  body: Echo & { error?: string };
}

/** Tenants with their own identity provider (issue: multi-tenancy, binding). */
describe('gateway: a tenant whose users sign in at their own identity provider', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  const idp = new TestIdentityProvider();
  const stranger = new TestIdentityProvider();
  // Declared without acceptTypJwt: only tokens typed as RFC 9068 access tokens pass.
  const strict = new TestIdentityProvider();
  let auth: RunningApp;
  let gateway: RunningApp;
  let alice: string;

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra: JWTPayload = {}): JWTPayload => ({
    iss: idp.url,
    aud: 'initech-api',
    sub: 'kc-user-42',
    exp: now() + 300,
    iat: now(),
    jti: `jti-${Math.random()}`,
    azp: 'initech-web',
    scope: 'profile orders:read',
    email: 'peter@initech.test',
    preferred_username: 'peter',
    realm_access: { roles: ['admin', 'staff'] },
    ...extra,
  });
  async function get(path: string, token: string, tenant?: string): Promise<Answer> {
    const response = await fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...(tenant ? { 'x-tenant-id': tenant } : {}) } });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  }
  const seen = (answer: Answer) => ({ status: answer.status, error: answer.body.error, tenant: answer.body.headers?.['x-tenant-id'] });

  beforeAll(async () => {
    await idp.start();
    await stranger.start();
    await strict.start();
    upstream = new EchoUpstream();
    const upstreamUrl = await upstream.start();
    testEnv = await createTestEnv({ AUTH_ISSUER: ISSUER });
    writeFileSync(
      join(testEnv.dataDir, 'bootstrap.yaml'),
      `
tenants:
  - { id: acme, name: Acme }
  - { id: initech, name: Initech, identityProvider: { issuer: "${idp.url}", jwksUri: "${idp.url}/jwks", audience: initech-api, rolesClaim: realm_access.roles, acceptTypJwt: true } }
  - { id: globex, name: Globex, identityProvider: { issuer: "${strict.url}", jwksUri: "${strict.url}/jwks", audience: globex-api } }
clients:
  - { clientId: acme-cli, tenant: acme, secret: "${SECRET.acme}", grantTypes: [password], scopes: [profile], firstParty: true }
  - { clientId: gateway, secret: "${SECRET.gateway}", grantTypes: [client_credentials], scopes: [], introspect: true }
users:
  - { tenant: acme, username: alice, email: alice@acme.test, password: "${PASSWORD}" }
`,
    );
    writeFileSync(
      join(testEnv.dataDir, 'routes.yaml'),
      `
routes:
  - { prefix: /t, upstream: USERS_URL, tenant: [header, claim], propagation: headers }
`,
    );
    auth = await startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: join(testEnv.dataDir, 'bootstrap.yaml') } });
    gateway = await startApp(gatewayApp, {
      env: { ...testEnv.env, GATEWAY_ROUTES_FILE: join(testEnv.dataDir, 'routes.yaml'), USERS_URL: upstreamUrl, GATEWAY_CLIENT_SECRET: SECRET.gateway },
    });
    alice = (
      await postForm<{ access_token: string }>(
        `${auth.url}/oauth/token`,
        { grant_type: 'password', username: 'alice', password: PASSWORD },
        { authorization: basic('acme-cli', SECRET.acme) },
      )
    ).body.access_token;
  });

  afterAll(async () => {
    await gateway?.close();
    await auth?.close();
    await upstream?.close();
    await idp.close();
    await stranger.close();
    await strict.close();
    await testEnv?.cleanup();
  });

  it("a token signed with the provider's key but claiming the platform's issuer is refused", async () => {
    const forged = await idp.sign(
      { ...claims(), iss: ISSUER, aud: 'gatehouse-api', tenant_id: 'acme', client_id: 'acme-cli', scope: 'profile' },
      { typ: 'at+jwt' },
    );
    expect(seen(await get('/t/x', forged, 'acme'))).toMatchObject({ status: 401, error: 'unknown_signing_key' });
  });

  it('an issuer no tenant declares is refused, whatever its keys', async () => {
    const token = await stranger.sign({ ...claims(), iss: stranger.url });
    expect(seen(await get('/t/x', token, 'initech'))).toMatchObject({ status: 401, error: 'invalid_claims' });
  });

  it("the provider's tokens are refused on another tenant's requests, even when they claim that tenant", async () => {
    expect(seen(await get('/t/x', await idp.sign(claims()), 'acme'))).toMatchObject({ status: 403, error: 'tenant_mismatch' });
    const claimingAcme = await idp.sign(claims({ tenant_id: 'acme' }));
    expect(seen(await get('/t/x', claimingAcme, 'acme'))).toMatchObject({ status: 403, error: 'tenant_mismatch' });
    expect(seen(await get('/t/x', claimingAcme))).toEqual({ status: 200, error: undefined, tenant: 'initech' });
  });

  it('wrong audience, expiry, a foreign key under the right kid: each with its code', async () => {
    expect(seen(await get('/t/x', await idp.sign(claims({ aud: 'someone-else' })), 'initech'))).toMatchObject({ status: 401, error: 'invalid_claims' });
    expect(seen(await get('/t/x', await idp.sign(claims({ exp: now() - 3600, iat: now() - 7200 })), 'initech'))).toMatchObject({
      status: 401,
      error: 'token_expired',
    });
    const foreign = await idp.sign(claims(), { key: stranger.keys.privateKey });
    expect(seen(await get('/t/x', foreign, 'initech'))).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(seen(await get('/t/x', await idp.sign({ ...claims(), sub: undefined }), 'initech'))).toMatchObject({ status: 401, error: 'invalid_claims' });
  });

  it('an ID token is never an access token, whatever its audience and type', async () => {
    // What a provider hands a client at sign-in, sent to the API instead: its aud may well be the API's.
    for (const marker of [
      { nonce: 'n-0S6_WzA2Mj' },
      { at_hash: '77QmUPtjPfzWtF2AnpK9RQ' },
      { c_hash: 'LDktKdoQak3Pk0cnXxCltA' },
      { s_hash: 'WbSzbPmvn1Nx0lIldEuKIQ' },
    ]) {
      for (const typ of ['JWT', 'at+jwt']) {
        expect(seen(await get('/t/x', await idp.sign(claims(marker), { typ }), 'initech'))).toMatchObject({ status: 401, error: 'invalid_token' });
      }
    }
  });

  it('accepts tokens typed JWT only from a provider declared with acceptTypJwt', async () => {
    const globex = (extra: JWTPayload = {}) => ({ ...claims(), iss: strict.url, aud: 'globex-api', ...extra });
    expect(seen(await get('/t/x', await strict.sign(globex(), { typ: 'JWT' }), 'globex'))).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(seen(await get('/t/x', await strict.sign(globex(), { typ: 'at+jwt' }), 'globex'))).toEqual({ status: 200, error: undefined, tenant: 'globex' });
    expect(seen(await get('/t/x', await strict.sign(globex(), { typ: 'application/at+jwt' }), 'globex'))).toEqual({
      status: 200,
      error: undefined,
      tenant: 'globex',
    });
    expect(seen(await get('/t/x', await idp.sign(claims(), { typ: 'JWT' }), 'initech'))).toEqual({ status: 200, error: undefined, tenant: 'initech' });
  });

  it("works on its own tenant's requests, with roles from the configured claim", async () => {
    const answer = await get('/t/x', await idp.sign(claims()), 'initech');
    expect(seen(answer)).toEqual({ status: 200, error: undefined, tenant: 'initech' });
    expect(answer.body.headers).toMatchObject({
      'x-user-id': 'kc-user-42',
      'x-user-email': 'peter@initech.test',
      'x-user-name': 'peter',
      'x-user-roles': 'admin,staff',
      'x-client-id': 'initech-web',
      'x-token-scopes': 'profile orders:read',
    });
    // An access token typed as RFC 9068 asks works the same; and the platform's own tokens still do.
    expect(seen(await get('/t/x', await idp.sign(claims(), { typ: 'at+jwt' }), 'initech')).status).toBe(200);
    expect(seen(await get('/t/x', alice, 'acme'))).toEqual({ status: 200, error: undefined, tenant: 'acme' });
  });
});
