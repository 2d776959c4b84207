import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningApp } from '@gatehouse/app-kit';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startPlatform } from '../apps/platform/src/platform';
import { EchoUpstream } from './support/echo-upstream';
import { http } from './support/http';
import { basic, postForm } from './support/oauth';
import { pkce } from './support/sign-in';
import { ARTIFACTS, CHROMIUM, chromiumAvailable, launchChromium } from './support/browser';
import { createTestEnv, REAL, type TestEnv } from './support/test-env';

interface Demo {
  admin: { username: string; password: string };
  clients: Record<string, string>;
}

const available = chromiumAvailable;
const suite = available ? describe : describe.skip;
if (!available) process.stdout.write(`browser sign-in suite skipped: ${CHROMIUM} is missing (apt-get install chromium)\n`);

suite('browser sign-in in Chromium: login page, consent, SSO, logout', () => {
  let testEnv: TestEnv;
  let apps: RunningApp[];
  let gateway: string;
  let demo: Demo;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  // The client apps' pages, on a port the system picks: registered without one, as a loopback
  // redirect URI matches on any (RFC 8252).
  let clientApps: EchoUpstream;
  let app: string;

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const authorizeUrl = (clientId: string, challenge: string, fields: Record<string, string> = {}) =>
    `${gateway}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: `${app}/${clientId}`, scope: 'openid profile', state: 'st', nonce: 'nn', code_challenge: challenge, code_challenge_method: 'S256', ...fields }).toString()}`;
  const landed = () => Object.fromEntries(new URL(page.url()).searchParams);
  const exchange = (clientId: string, code: string, verifier: string) =>
    postForm<Record<string, string>>(`${gateway}/oauth/token`, {
      grant_type: 'authorization_code',
      client_id: clientId,
      code,
      redirect_uri: `${app}/${clientId}`,
      code_verifier: verifier,
    });

  async function register(token: string, clientId: string, firstParty: boolean): Promise<void> {
    const answer = await http(`${gateway}/admin/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId,
        tenant: 'demo',
        public: true,
        firstParty,
        grantTypes: ['authorization_code', 'refresh_token'],
        scopes: ['profile', 'orders:read'],
        redirectUris: [`http://127.0.0.1/app/${clientId}`],
        postLogoutRedirectUris: [`${app}/${clientId}/signed-out`],
      }),
    });
    expect(answer.status).toBe(201);
  }

  beforeAll(async () => {
    testEnv = await createTestEnv();
    clientApps = new EchoUpstream();
    app = `${await clientApps.start()}/app`;
    const { AUTH_ISSUER: _unset, ...env } = testEnv.env;
    apps = await startPlatform({ env });
    gateway = apps.find((app) => app.name === 'gateway')!.url;
    demo = JSON.parse(readFileSync(join(testEnv.dataDir, REAL.postgres ? 'auth' : 'platform', 'bootstrap-credentials.json'), 'utf8')) as Demo;
    const ops = await postForm<{ access_token: string }>(
      `${gateway}/oauth/token`,
      { grant_type: 'client_credentials' },
      { authorization: basic('ops', demo.clients.ops) },
    );
    await register(ops.body.access_token, 'partner-web', false);
    await register(ops.body.access_token, 'demo-web', true);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await clientApps?.close();
    for (const app of [...(apps ?? [])].reverse()) await app.close();
    await testEnv?.cleanup();
  });

  it('signs in on the login page, asks consent for a third-party client, and lands with a code', async () => {
    const { verifier, challenge } = pkce();
    await page.goto(authorizeUrl('partner-web', challenge));
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('to continue to Demo').isVisible()).resolves.toBe(true);
    await shot('01-login');
    await page.getByLabel('Username').fill(demo.admin.username);
    await page.getByLabel('Password').fill('not the right password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The username or password is incorrect.');
    await shot('02-login-refused');
    await page.getByLabel('Password').fill(demo.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Allow partner-web?' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('See your profile: username and roles').isVisible()).resolves.toBe(true);
    await shot('03-consent');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${app}/partner-web?**`);
    expect(landed()).toMatchObject({ code: expect.any(String), state: 'st', iss: gateway });
    const tokens = await exchange('partner-web', landed().code, verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.body.id_token).toEqual(expect.any(String));
  });

  it('signs a second client in with no password (SSO)', async () => {
    const { verifier, challenge } = pkce();
    await page.goto(authorizeUrl('demo-web', challenge));
    await page.waitForURL(`${app}/demo-web?**`);
    const tokens = await exchange('demo-web', landed().code, verifier);
    expect(tokens.status).toBe(200);
    const profile = await http(`${gateway}/users/me`, { headers: { authorization: `Bearer ${tokens.body.access_token}` } });
    expect(profile.status).toBe(200);
  });

  it('shows a request it cannot trust on an error page, never redirecting', async () => {
    await page.goto(authorizeUrl('demo-web', pkce().challenge, { redirect_uri: 'https://evil.test/cb' }));
    expect(new URL(page.url()).origin).toBe(gateway);
    await expect(page.getByRole('heading', { name: 'This sign-in request cannot continue' }).isVisible()).resolves.toBe(true);
    await shot('04-error');
  });

  it('logs out, back to the client, and the next sign-in asks for the password again', async () => {
    const { verifier, challenge } = pkce();
    await page.goto(authorizeUrl('demo-web', challenge));
    await page.waitForURL(`${app}/demo-web?**`);
    const tokens = await exchange('demo-web', landed().code, verifier);
    await page.goto(
      `${gateway}/oauth/logout?${new URLSearchParams({ id_token_hint: tokens.body.id_token, post_logout_redirect_uri: `${app}/demo-web/signed-out`, state: 'bye' }).toString()}`,
    );
    await page.waitForURL(`${app}/demo-web/signed-out?state=bye`);
    await page.goto(authorizeUrl('demo-web', pkce().challenge));
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await page.goto(`${gateway}/oauth/logout`);
    await expect(page.getByRole('heading', { name: 'You are signed out' }).isVisible()).resolves.toBe(true);
    await shot('05-signed-out');
  });

  it('asks which organisation when a platform client signs in', async () => {
    await context.clearCookies();
    const { challenge } = pkce();
    await page.goto(
      `${gateway}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'gatehouse-docs', redirect_uri: `${gateway}/docs/oauth2-redirect.html`, scope: 'profile', code_challenge: challenge, code_challenge_method: 'S256' }).toString()}`,
    );
    await expect(page.getByLabel('Organisation').isVisible()).resolves.toBe(true);
    await shot('06-login-organisation');
  });

  it('Swagger Authorize with the authorization code flow from the printed URL, then Try it out on GET /users/me answers 200', async () => {
    await context.clearCookies();
    await page.goto(`${gateway}/docs`);
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    const flow = page.locator('.auth-container').filter({ hasText: 'Flow: authorizationCode' });
    // The platform's public docs client, filled in by the page itself; no secret.
    await expect(flow.locator('input#client_id_authorizationCode').inputValue()).resolves.toBe('gatehouse-docs');
    await shot('07-swagger-authorize');
    // Swagger UI names its buttons for screen readers ("Apply given OAuth2 credentials"): found by class.
    const [popup] = await Promise.all([context.waitForEvent('page'), flow.locator('button.authorize').click()]);
    await popup.waitForLoadState();
    await popup.getByLabel('Organisation').waitFor();
    await popup.screenshot({ path: join(ARTIFACTS, '08-swagger-sign-in.png'), fullPage: true });
    await popup.getByLabel('Organisation').fill('demo');
    await popup.getByLabel('Username').fill(demo.admin.username);
    await popup.getByLabel('Password').fill(demo.admin.password);
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await popup.waitForEvent('close', { timeout: 15_000 });
    // Signed in once the page has exchanged the code (PKCE, CORS on the token endpoint) for a token.
    await flow.getByText('Authorized', { exact: true }).waitFor({ timeout: 10_000 });
    await page.locator('.auth-container button.btn-done').first().click();

    const operation = page
      .locator('.opblock')
      .filter({ has: page.locator('[data-path="/users/me"]') })
      .filter({ hasText: 'GET' })
      .first();
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();
    const status = operation.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor();
    await operation.screenshot({ path: join(ARTIFACTS, '09-swagger-try-it-out.png') });
    await expect(status.textContent()).resolves.toMatch(/^\s*200/);
  });
});
