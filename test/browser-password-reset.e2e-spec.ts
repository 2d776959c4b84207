import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import type { Browser, Page } from 'playwright-core';
import { authApp } from '../apps/auth/src/auth.app';
import { ADMIN_BOOTSTRAP_CLIENTS, ADMIN_BOOTSTRAP_USERS, ADMIN_PASSWORD } from './support/admin-api';
import { EchoUpstream } from './support/echo-upstream';
import { MailCatcher, linkToken } from './support/mail-catcher';
import { postForm } from './support/oauth';
import { pkce } from './support/sign-in';
import { ARTIFACTS, CHROMIUM, chromiumAvailable, launchChromium } from './support/browser';
import { createTestEnv, type TestEnv } from './support/test-env';

const NEW_PASSWORD = 'a new passphrase typed in the browser';

const available = chromiumAvailable;
const suite = available ? describe : describe.skip;
if (!available) process.stdout.write(`browser password reset suite skipped: ${CHROMIUM} is missing (apt-get install chromium)\n`);

suite('browser password reset in Chromium: forgot form, mail over SMTP, link, new password, sign-in', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let mail: MailCatcher;
  let clientApp: EchoUpstream;
  let app: string;
  let browser: Browser;
  let page: Page;

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const authorizeUrl = (challenge: string) =>
    `${auth.url}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'acme-web', redirect_uri: `${app}/acme-web`, scope: 'openid profile', state: 'st', nonce: 'nn', code_challenge: challenge, code_challenge_method: 'S256' }).toString()}`;

  beforeAll(async () => {
    mail = await MailCatcher.start();
    clientApp = new EchoUpstream();
    app = `${await clientApp.start()}/app`;
    testEnv = await createTestEnv();
    const file = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(
      file,
      `
tenants: [{ id: acme, name: Acme }]
clients:
${ADMIN_BOOTSTRAP_CLIENTS}
  - { clientId: acme-web, tenant: acme, public: true, firstParty: true, grantTypes: [authorization_code], scopes: [profile], redirectUris: ["http://127.0.0.1/app/acme-web"] }
users:
${ADMIN_BOOTSTRAP_USERS}
`,
    );
    auth = await startApp(authApp, {
      env: { ...testEnv.env, BOOTSTRAP_FILE: file, SMTP_URL: mail.url, AUTH_ISSUER: `http://127.0.0.1:${testEnv.env.AUTH_PORT}` },
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1100, height: 760 } })).newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await auth?.close();
    await clientApp?.close();
    await mail?.close();
    await testEnv?.cleanup();
  });

  it('resets a forgotten password from the login page by the emailed link, then signs in with the new one', async () => {
    await page.goto(authorizeUrl(pkce().challenge));
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await expect(page.getByRole('heading', { name: 'Forgot your password?' }).isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Organisation').inputValue()).resolves.toBe('acme');
    await page.getByLabel('Email address').fill('bob@acme.test');
    await shot('reset-01-forgot');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await expect(page.getByRole('heading', { name: 'Check your email' }).isVisible()).resolves.toBe(true);

    const { url } = linkToken(await mail.nth('bob@acme.test', 1), '/auth/password/reset');
    await page.goto(url);
    await expect(page.getByRole('heading', { name: 'Choose a new password' }).isVisible()).resolves.toBe(true);
    await page.getByLabel('New password', { exact: true }).fill('too short');
    await page.getByLabel('New password, again').fill('too short');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The password is shorter than 12 characters.');
    await shot('reset-02-weak');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password, again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set the password' }).click();
    await expect(page.getByRole('heading', { name: 'Your password is changed' }).isVisible()).resolves.toBe(true);
    await shot('reset-03-changed');

    // The link worked once.
    await page.goto(url);
    await expect(page.getByRole('heading', { name: 'This link does not work' }).isVisible()).resolves.toBe(true);

    const { verifier, challenge } = pkce();
    await page.goto(authorizeUrl(challenge));
    await page.getByLabel('Username').fill('bob');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The username or password is incorrect.');
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app}/acme-web?**`);
    const code = new URL(page.url()).searchParams.get('code') ?? '';
    const tokens = await postForm<Record<string, string>>(`${auth.url}/oauth/token`, {
      grant_type: 'authorization_code',
      client_id: 'acme-web',
      code,
      redirect_uri: `${app}/acme-web`,
      code_verifier: verifier,
    });
    expect(tokens.status).toBe(200);
  });
});
