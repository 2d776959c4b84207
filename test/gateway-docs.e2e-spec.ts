import type { OpenAPIObject } from '@nestjs/swagger';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { startPlatform } from '../apps/platform/src/platform';
import { http } from './support/http';
import { createTestEnv, freePort, type TestEnv } from './support/test-env';

const ISSUER = 'http://gateway.test';
const TOKEN_URL = `${ISSUER}/oauth/token`;

describe('gateway: one OpenAPI document for the whole platform', () => {
  let testEnv: TestEnv;
  let apps: RunningApp[];
  let gateway: RunningApp;
  /** A gateway whose orders upstream is a port nobody listens on. */
  let withoutOrders: RunningApp;
  let merged: OpenAPIObject;

  const docsOf = async (app: RunningApp) => {
    const answer = await http<OpenAPIObject>(`${app.url}/docs-json`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const pathsUnder = (document: OpenAPIObject, prefix: string) => Object.keys(document.paths).filter((path) => path.startsWith(prefix));

  beforeAll(async () => {
    testEnv = await createTestEnv({ AUTH_ISSUER: ISSUER });
    apps = await startPlatform({ env: testEnv.env });
    gateway = apps.find((app) => app.name === 'gateway')!;
    // Another gateway deployment beside the platform's: its own data folder, so its own generated
    // key secret, and its own Redis keys where Redis is shared.
    const env = {
      ...testEnv.env,
      GATEWAY_PORT: String(await freePort()),
      ORDERS_URL: `http://127.0.0.1:${await freePort()}`,
      REDIS_KEY_PREFIX: `${testEnv.env.REDIS_KEY_PREFIX ?? 'test:'}alone:`,
    };
    withoutOrders = await startApp(gatewayApp, { env });
    merged = await docsOf(gateway);
  });

  afterAll(async () => {
    await withoutOrders?.close();
    for (const app of [...(apps ?? [])].reverse()) await app.close();
    await testEnv?.cleanup();
  });

  it('holds the auth endpoints under their routes, tagged auth', () => {
    expect(merged.paths['/oauth/token']?.post).toMatchObject({ tags: ['auth'] });
    expect(merged.paths['/auth/login']).toBeDefined();
    expect(merged.paths['/.well-known/jwks.json']?.get).toMatchObject({ tags: ['auth'] });
    expect(merged.tags).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'auth' })]));
  });

  it("keeps the gateway's own paths and leaves out the services' health, metrics and docs", () => {
    expect(merged.paths['/.well-known/internal-jwks.json']?.get).toMatchObject({ tags: ['gateway'] });
    expect(Object.keys(merged.paths).filter((path) => /^\/(health|metrics|docs)/.test(path))).toEqual([]);
  });

  it('holds the routed services, asking for a token where their route is jwt', () => {
    // The orders endpoint is public in the service, but its gateway route wants a token.
    expect(merged.paths['/orders/health/users']?.get).toMatchObject({ tags: ['orders'], security: [{ oauth2: [] }, { bearer: [] }] });
    // Every upstream answered, users included, whether or not it has HTTP endpoints of its own.
    expect(merged.info.description).not.toContain('Unavailable');
  });

  it('offers an Authorize button with the authorization code, password and client-credentials flows of the public origin', () => {
    expect(merged.components?.securitySchemes?.oauth2).toMatchObject({
      type: 'oauth2',
      flows: {
        authorizationCode: { authorizationUrl: `${ISSUER}/oauth/authorize`, tokenUrl: TOKEN_URL },
        password: { tokenUrl: TOKEN_URL },
        clientCredentials: { tokenUrl: TOKEN_URL },
      },
    });
  });

  it('shows the merged document in the Swagger UI', async () => {
    expect((await http<string>(`${gateway.url}/docs`)).status).toBe(200);
    const init = await http<string>(`${gateway.url}/docs/swagger-ui-init.js`);
    expect(init.status).toBe(200);
    expect(init.text).toContain('/oauth/token');
    expect(init.text).toContain(TOKEN_URL);
  });

  it('with an upstream down, serves the rest and names the missing one', async () => {
    const document = await docsOf(withoutOrders);
    expect(document.paths['/oauth/token']).toBeDefined();
    expect(pathsUnder(document, '/orders')).toEqual([]);
    expect(document.info.description).toContain('Unavailable: orders.');
  });
});
