import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { authApp } from '../apps/auth/src/auth.app';
import { eventually, http } from './support/http';
import { basic, postForm } from './support/oauth';
import { createTestEnv, type TestEnv } from './support/test-env';

const OPS_SECRET = 'ops-secret-0123456789abcdefghijklmnopqrstuv';
const ISSUER = 'http://gatehouse.test';

/** Tokens signed before and after a rotation both verify with the published JWKS throughout. */
describe('auth: key rotation seen from the token endpoint', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;

  const token = async () =>
    (await postForm<{ access_token: string }>(`${auth.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic('ops', OPS_SECRET) }))
      .body.access_token;
  const verifyAll = async (tokens: string[]) => {
    const jwks = createLocalJWKSet((await http<{ keys: [] }>(`${auth.url}/.well-known/jwks.json`)).body);
    for (const value of tokens) await jwtVerify(value, jwks, { issuer: ISSUER, typ: 'at+jwt' });
  };

  beforeAll(async () => {
    testEnv = await createTestEnv();
    const file = join(testEnv.dataDir, 'bootstrap.yaml');
    writeFileSync(file, `clients:\n  - { clientId: ops, secret: "${OPS_SECRET}", grantTypes: [client_credentials], scopes: [admin] }\n`);
    auth = await startApp(authApp, { env: { ...testEnv.env, BOOTSTRAP_FILE: file, AUTH_ISSUER: ISSUER, KEY_PUBLISH_AHEAD: '1' } });
  });

  afterAll(async () => {
    await auth?.close();
    await testEnv?.cleanup();
  });

  it('keeps every issued token verifiable while the signing key changes', async () => {
    const before = await token();
    const oldKid = decodeProtectedHeader(before).kid;
    const ops = { authorization: `Bearer ${before}` };
    const rotated = await http<{ kid: string }>(`${auth.url}/admin/keys/rotate`, { method: 'POST', headers: ops });
    expect(rotated.status).toBe(201);

    const issued = [before];
    const switched = await eventually(
      async () => {
        const next = await token();
        issued.push(next);
        await verifyAll(issued);
        return decodeProtectedHeader(next).kid === rotated.body.kid;
      },
      15_000,
      200,
    );
    expect(switched).toBe(true);
    expect(rotated.body.kid).not.toBe(oldKid);
    await verifyAll(issued);
    const kids = new Set(issued.map((value) => decodeProtectedHeader(value).kid));
    expect(kids).toEqual(new Set([oldKid, rotated.body.kid]));
  });
});
