import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { DataSource } from 'typeorm';
import { authApp } from '../apps/auth/src/auth.app';
import { ADMIN_BOOTSTRAP_CLIENTS, ADMIN_BOOTSTRAP_USERS, ADMIN_PASSWORD, AdminApi } from './support/admin-api';
import { eventually, http } from './support/http';
import { basic, postForm } from './support/oauth';
import { createTestEnv, freePort, type TestEnv } from './support/test-env';

const BOOTSTRAP = `
tenants: [{ id: acme, name: Acme }, { id: globex, name: Globex, requireEmailVerification: true }]
clients:
${ADMIN_BOOTSTRAP_CLIENTS}
users:
${ADMIN_BOOTSTRAP_USERS}
`;
const NEW_PASSWORD = 'a brand new passphrase, from the outbox';

async function startAuth(testEnv: TestEnv, env: Record<string, string>): Promise<RunningApp> {
  const file = join(testEnv.dataDir, 'bootstrap.yaml');
  writeFileSync(file, BOOTSTRAP);
  return startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: file, AUTH_ISSUER: `http://127.0.0.1:${testEnv.env.AUTH_PORT}`, ...env } });
}

const json = (url: string, body: unknown) => http(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** How mail leaves: the outbox folder by default, SMTP with a deadline when configured. */
describe('auth: mail delivery', () => {
  describe('the embedded default: the outbox folder under DATA_DIR', () => {
    let testEnv: TestEnv;
    let auth: RunningApp;

    beforeAll(async () => {
      testEnv = await createTestEnv();
      auth = await startAuth(testEnv, {});
    });

    afterAll(async () => {
      await auth?.close();
      await testEnv?.cleanup();
    });

    it('writes the reset mail to <DATA_DIR>/outbox, and its link sets a new password', async () => {
      expect((await json(`${auth.url}/auth/password/forgot`, { tenant: 'acme', email: 'bob@acme.test' })).status).toBe(202);
      const outbox = join(testEnv.dataDir, 'outbox');
      expect(await eventually(async () => (await readdir(outbox)).length === 1, 5000)).toBe(true);
      const [name] = await readdir(outbox);
      expect(name).toMatch(/\.eml$/);
      const eml = await readFile(join(outbox, name), 'utf8');
      expect(eml).toContain('To: bob@acme.test\r\n');
      expect(eml).toContain('Subject: Reset your password\r\n');
      const token = /\/auth\/password\/reset\?token=([A-Za-z0-9_-]{43})/.exec(eml)?.[1] ?? '';
      expect((await json(`${auth.url}/auth/password/reset`, { token, password: NEW_PASSWORD })).status).toBe(204);
      const login = await postForm(
        `${auth.url}/oauth/token`,
        { grant_type: 'password', username: 'bob', password: NEW_PASSWORD },
        { authorization: basic('acme-cli', 'acme-cli-secret-0123456789abcdefghijklmnop') },
      );
      expect(login.status).toBe(200);
    });

    it('mails a verification link on registration in a tenant the bootstrap file declares as requiring it', async () => {
      const registered = await json(`${auth.url}/auth/register`, { tenant: 'globex', username: 'una', email: 'una@globex.test', password: NEW_PASSWORD });
      expect(registered.status).toBe(201);
      expect(registered.body).toMatchObject({ emailVerified: false });
      const outbox = join(testEnv.dataDir, 'outbox');
      const verification = async () => {
        const texts = await Promise.all((await readdir(outbox)).map((name) => readFile(join(outbox, name), 'utf8')));
        return texts.find((text) => text.includes('To: una@globex.test'));
      };
      expect(await eventually(async () => (await verification()) !== undefined, 5000)).toBe(true);
      expect(await verification()).toMatch(/Subject: Confirm your email address\r\n[\s\S]*\/auth\/email\/verify\?token=[A-Za-z0-9_-]{43}/);
    });
  });

  describe('SMTP that does not answer', () => {
    let testEnv: TestEnv;
    let auth: RunningApp;
    let silent: Server;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      // Accepts connections and never greets: only the deadline ends a send.
      const port = await freePort();
      silent = createServer((socket) => void sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
      testEnv = await createTestEnv();
      auth = await startAuth(testEnv, { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_SEND_TIMEOUT: '1' });
    });

    afterAll(async () => {
      await auth?.close();
      for (const socket of sockets) socket.destroy();
      silent?.close();
      await testEnv?.cleanup();
    });

    it('still answers forgot at once (the mail goes after the answer), and audits the failed send', async () => {
      const started = Date.now();
      expect((await json(`${auth.url}/auth/password/forgot`, { tenant: 'acme', email: 'bob@acme.test' })).status).toBe(202);
      expect(Date.now() - started).toBeLessThan(900);
      const failed = () =>
        auth.app
          .get(DataSource)
          .query<{ details: Record<string, unknown> }[]>(`SELECT details FROM "${testEnv.schemaPrefix}auth"."audit_events" WHERE type = 'mail.failed'`);
      expect(await eventually(async () => (await failed()).length === 1, 5000)).toBe(true);
      expect((await failed())[0].details).toEqual({ mail: 'password_reset' });
    });

    it('answers a forced reset 503 with Retry-After within the deadline; the sign-ins are ended already', async () => {
      const admin = new AdminApi(auth.url);
      await admin.signInAsEveryone();
      const users = await admin.call<{ id: string; username: string }[]>('alice', 'GET', '/admin/users');
      const bob = users.body.find((user) => user.username === 'bob')!;
      const started = Date.now();
      const forced = await admin.call('alice', 'POST', `/admin/users/${bob.id}/password-reset`);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(forced.status).toBe(503);
      expect(forced.headers.get('retry-after')).toBe('30');
      expect(forced.body).toEqual({ error: 'service_unavailable', message: 'A dependency of this service is unavailable.', requestId: expect.any(String) });
      // Every gateway learns of it from the revocation feed.
      const events = await auth.app
        .get(DataSource)
        .query<{ value: string }[]>(`SELECT value FROM "${testEnv.schemaPrefix}auth"."revocation_events" WHERE kind = 'subject'`);
      expect(events).toEqual([{ value: bob.id }]);
      const login = await postForm(
        `${auth.url}/oauth/token`,
        { grant_type: 'password', username: 'bob', password: ADMIN_PASSWORD },
        { authorization: basic('acme-cli', 'acme-cli-secret-0123456789abcdefghijklmnop') },
      );
      expect(login.body).toMatchObject({ error: 'invalid_grant' });
    });
  });
});
