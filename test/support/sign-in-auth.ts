import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { authApp } from '../../apps/auth/src/auth.app';
import { ADMIN_BOOTSTRAP_CLIENTS, ADMIN_BOOTSTRAP_USERS, ADMIN_PASSWORD, AdminApi } from './admin-api';
import { type HttpResult } from './http';
import { postForm } from './oauth';
import { browse, type CookieJar, pkce, submit } from './sign-in';
import { createTestEnv, type TestEnv } from './test-env';

export const ISSUER = 'http://gatehouse.test';
export const CALLBACK = 'https://app.acme.test/callback';
export const PARTNER_CALLBACK = 'https://partner.test/cb';
export const PARTNER_SECRET = 'partner-secret-0123456789abcdefghijklmnopqr';
export const PORTAL_CALLBACK = 'https://portal.test/cb';
/** `<tenant>.<TENANT_BASE_HOST>` names a tenant; the test process is the trusted proxy sending X-Forwarded-Host. */
export const TENANT_BASE_HOST = 'gatehouse.test';

/**
 * The Admin API suites' bootstrap, plus acme's first-party public browser client `acme-web` and
 * the confidential third-party client `partner`, and the platform's public client `portal` (no tenant).
 */
const BOOTSTRAP = `
tenants: [{ id: acme, name: Acme }, { id: dormant, name: Dormant, status: suspended }]
clients:
${ADMIN_BOOTSTRAP_CLIENTS}
  - clientId: acme-web
    tenant: acme
    public: true
    grantTypes: [authorization_code, refresh_token]
    scopes: [profile, orders:read]
    firstParty: true
    redirectUris: [${CALLBACK}, http://127.0.0.1/callback]
    postLogoutRedirectUris: [https://app.acme.test/]
    allowedOrigins: [https://app.acme.test]
  - clientId: partner
    tenant: acme
    secret: ${PARTNER_SECRET}
    grantTypes: [authorization_code]
    scopes: [orders:read]
    redirectUris: [${PARTNER_CALLBACK}]
  - clientId: dormant-web
    tenant: dormant
    public: true
    grantTypes: [authorization_code]
    scopes: [profile]
    firstParty: true
    redirectUris: [${CALLBACK}]
  - clientId: portal
    public: true
    grantTypes: [authorization_code]
    scopes: [profile]
    firstParty: true
    redirectUris: [${PORTAL_CALLBACK}]
users:
${ADMIN_BOOTSTRAP_USERS}
`;

/** The auth app alone, issuer `http://gatehouse.test`, with the browser clients and their helpers. */
export class SignInAuth {
  private constructor(
    private readonly testEnv: TestEnv,
    readonly auth: RunningApp,
    readonly admin: AdminApi,
  ) {}

  static async start(): Promise<SignInAuth> {
    const testEnv = await createTestEnv();
    const file = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(file, BOOTSTRAP);
    const auth = await startApp(authApp, {
      env: { ...testEnv.env, BOOTSTRAP_FILE: file, AUTH_ISSUER: ISSUER, TENANT_BASE_HOST, AUTH_TRUSTED_PROXIES: '127.0.0.1,::1' },
    });
    const admin = new AdminApi(auth.url);
    await admin.signInAsEveryone();
    return new SignInAuth(testEnv, auth, admin);
  }

  /** An authorization request of acme-web, with a fresh PKCE pair; `fields` override or add. */
  authorizeUrl(fields: Record<string, string> = {}, challenge = pkce().challenge): string {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'acme-web',
      redirect_uri: CALLBACK,
      scope: 'openid profile',
      state: 'st-1',
      nonce: 'n-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...fields,
    });
    return `${this.auth.url}/oauth/authorize?${query.toString()}`;
  }

  /** Signs alice in through the login page; answers the redirect and the PKCE verifier. */
  async signIn(jar: CookieJar, fields: Record<string, string> = {}): Promise<{ back: HttpResult<string>; verifier: string }> {
    const { verifier, challenge } = pkce();
    const page = await browse(this.authorizeUrl(fields, challenge), jar);
    if (page.status !== 200) throw new Error(`no login page: ${page.status}`);
    const back = await submit(this.auth.url, '/oauth/authorize/login', page.body, jar, { username: 'alice', password: ADMIN_PASSWORD });
    return { back, verifier };
  }

  /** acme-web redeems a code at the token endpoint. */
  exchange(code: string, verifier: string, fields: Record<string, string> = {}): Promise<HttpResult<Record<string, unknown>>> {
    return postForm(`${this.auth.url}/oauth/token`, {
      grant_type: 'authorization_code',
      client_id: 'acme-web',
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
      ...fields,
    });
  }

  async close(): Promise<void> {
    await this.auth.close();
    await this.testEnv.cleanup();
  }
}
