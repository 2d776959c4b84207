import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningApp } from '@gatehouse/app-kit';
import type { Browser, Page } from 'playwright-core';
import { startPlatform } from '../apps/platform/src/platform';
import { base32Decode, hotp, totpStep } from '../apps/auth/src/mfa/totp';
import { EchoUpstream } from './support/echo-upstream';
import { http } from './support/http';
import { basic, decodeJwt, postForm } from './support/oauth';
import { pkce } from './support/sign-in';
import { ARTIFACTS, CHROMIUM, chromiumAvailable, launchChromium } from './support/browser';
import { createTestEnv, REAL, type TestEnv } from './support/test-env';

const MFA = 'urn:gatehouse:acr:mfa';

interface Demo {
  admin: { username: string; password: string };
  clients: Record<string, string>;
}

const available = chromiumAvailable;
const suite = available ? describe : describe.skip;
if (!available) process.stdout.write(`browser MFA suite skipped: ${CHROMIUM} is missing (apt-get install chromium)\n`);

suite('browser sign-in in Chromium with a second factor: TOTP enrolment, then the code', () => {
  let testEnv: TestEnv;
  let apps: RunningApp[];
  let gateway: string;
  let demo: Demo;
  let browser: Browser;
  let clientApps: EchoUpstream;
  let app: string;
  let secret: Buffer;
  let lastStep = 0;

  const nextCode = () => {
    const step = Math.max(totpStep(Date.now()) - 1, lastStep + 1);
    lastStep = step;
    return hotp(secret, step);
  };
  const authorizeUrl = (challenge: string) =>
    `${gateway}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'mfa-web', redirect_uri: `${app}/mfa-web`, scope: 'openid profile', state: 'st', nonce: 'nn', code_challenge: challenge, code_challenge_method: 'S256' }).toString()}`;
  const idToken = async (page: Page, verifier: string) => {
    const landed = Object.fromEntries(new URL(page.url()).searchParams);
    expect(landed.state).toBe('st');
    const tokens = await postForm<Record<string, string>>(`${gateway}/oauth/token`, {
      grant_type: 'authorization_code',
      client_id: 'mfa-web',
      code: landed.code,
      redirect_uri: `${app}/mfa-web`,
      code_verifier: verifier,
    });
    expect(tokens.status).toBe(200);
    return decodeJwt(tokens.body.id_token).payload;
  };
  const signInWithPassword = async (page: Page, challenge: string) => {
    await page.goto(authorizeUrl(challenge));
    await page.getByLabel('Username').fill(demo.admin.username);
    await page.getByLabel('Password').fill(demo.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  beforeAll(async () => {
    testEnv = await createTestEnv();
    clientApps = new EchoUpstream();
    app = `${await clientApps.start()}/app`;
    const { AUTH_ISSUER: _unset, ...env } = testEnv.env;
    apps = await startPlatform({ env });
    gateway = apps.find((running) => running.name === 'gateway')!.url;
    demo = JSON.parse(readFileSync(join(testEnv.dataDir, REAL.postgres ? 'auth' : 'platform', 'bootstrap-credentials.json'), 'utf8')) as Demo;
    const ops = (
      await postForm<{ access_token: string }>(
        `${gateway}/oauth/token`,
        { grant_type: 'client_credentials' },
        { authorization: basic('ops', demo.clients.ops) },
      )
    ).body.access_token;
    const call = (method: string, path: string, body: unknown) =>
      http(`${gateway}${path}`, { method, headers: { authorization: `Bearer ${ops}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const registered = await call('POST', '/admin/clients', {
      clientId: 'mfa-web',
      tenant: 'demo',
      public: true,
      firstParty: true,
      grantTypes: ['authorization_code'],
      scopes: ['profile'],
      redirectUris: ['http://127.0.0.1/app/mfa-web'],
    });
    expect(registered.status).toBe(201);
    expect((await call('PUT', '/admin/tenants/demo/mfa-required', { mfaRequired: 'admins' })).status).toBe(200);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await clientApps?.close();
    for (const running of [...(apps ?? [])].reverse()) await running.close();
    await testEnv?.cleanup();
  });

  it('an administrator of a tenant requiring MFA enrols on the page with a code computed here, keeps recovery codes, lands with an MFA sign-in', async () => {
    const page = await (await browser.newContext()).newPage();
    const { verifier, challenge } = pkce();
    await signInWithPassword(page, challenge);
    await expect(page.getByRole('heading', { name: 'Set up two-step verification' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('.qr svg').isVisible()).resolves.toBe(true);
    secret = base32Decode((await page.locator('#totp-secret').textContent()) ?? '')!;
    expect(secret).toHaveLength(20);
    await page.screenshot({ path: join(ARTIFACTS, 'mfa-01-enrol.png'), fullPage: true });
    await page.getByLabel('Code').fill(hotp(secret, totpStep(Date.now()) + 9));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('That code is wrong, expired or already used. Try the next one.');
    await page.getByLabel('Code').fill(nextCode());
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expect(page.getByRole('heading', { name: 'Two-step verification is on' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('#recovery-codes li').count()).resolves.toBe(10);
    await page.screenshot({ path: join(ARTIFACTS, 'mfa-02-recovery-codes.png'), fullPage: true });
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/app\/mfa-web\?/);
    expect(await idToken(page, verifier)).toMatchObject({ acr: MFA, amr: ['pwd', 'otp'] });
  });

  it('signs in again in a fresh browser with the password, then the code', async () => {
    const page = await (await browser.newContext()).newPage();
    const { verifier, challenge } = pkce();
    await signInWithPassword(page, challenge);
    await expect(page.getByRole('heading', { name: 'Two-step verification' }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'mfa-03-code.png'), fullPage: true });
    await page.getByLabel('Code').fill(nextCode());
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/app\/mfa-web\?/);
    expect(await idToken(page, verifier)).toMatchObject({ acr: MFA, amr: ['pwd', 'otp'] });
  });
});
