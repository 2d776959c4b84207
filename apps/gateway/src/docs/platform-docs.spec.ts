import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadSettings } from '@gatehouse/config';
import { createLogger } from '@gatehouse/observability';
import { GatewaySettings } from '../gateway.settings';
import { RouteTable } from '../routes/route-table';
import { DEGRADED_DOCS_TTL_MS, DOCS_TTL_MS, type FetchDocument, PlatformDocs } from './platform-docs';

const ROUTES = `
routes:
  - { prefix: /oauth, upstream: AUTH_INTERNAL_URL, auth: public }
  - { prefix: /.well-known, upstream: AUTH_INTERNAL_URL, auth: public }
  - { prefix: /shop, upstream: ORDERS_URL, auth: jwt, stripPrefix: true, scopes: [orders:read] }
  - { prefix: /shop/users, upstream: USERS_URL, auth: jwt }
`;
const ok = { '200': { description: 'ok' } };
const document = (paths: OpenAPIObject['paths'], schemas: Record<string, object> = {}): OpenAPIObject => ({
  openapi: '3.0.0',
  info: { title: 'doc', version: '1', description: 'a service' },
  paths,
  components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
});
const ref = (name: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } }, description: 'x' });

const GATEWAY = document({ '/.well-known/internal-jwks.json': { get: { operationId: 'Jwks_get', responses: ok } } }, { Problem: { type: 'object' } });
const UPSTREAMS: Record<string, OpenAPIObject> = {
  '3001': document(
    {
      '/oauth/token': { post: { operationId: 'Token_post', security: [{}], responses: { '200': ref('Token') } } },
      '/auth/me': { get: { operationId: 'Me_get', security: [{ bearer: [] }], responses: ok } },
      '/.well-known/internal-jwks.json': { get: { operationId: 'Shadowed', responses: ok } },
      '/health/live': { get: { responses: ok } },
    },
    { Token: { type: 'object' }, Problem: { type: 'object' } },
  ),
  '3003': document(
    {
      '/items': { get: { operationId: 'Jwks_get', security: [{}], responses: { '200': ref('Problem') } } },
      '/users/x': { get: { operationId: 'Hidden', responses: ok } },
      '/metrics': { get: { responses: ok } },
    },
    { Problem: { type: 'string' } },
  ),
};

describe('PlatformDocs', () => {
  let folder: string;
  let now: number;
  let fetches: string[];
  let down: Set<string>;

  const docs = () => {
    const file = join(folder, 'routes.yaml');
    writeFileSync(file, ROUTES);
    const env = { GATEWAY_ROUTES_FILE: file, AUTH_ISSUER: 'https://id.example.test/', AUTH_PORT: '3001', USERS_PORT: '3002', ORDERS_PORT: '3003' };
    const { settings } = loadSettings(GatewaySettings, env);
    const fetchDocument: FetchDocument = (url) => {
      fetches.push(url.port);
      if (down.has(url.port) || !UPSTREAMS[url.port]) return Promise.reject(new Error('refused'));
      return Promise.resolve(UPSTREAMS[url.port]);
    };
    return new PlatformDocs(RouteTable.load(settings), settings, createLogger({ app: 'gateway', level: 'silent' }), fetchDocument, () => now);
  };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'gatehouse-docs-'));
    now = 1_000_000;
    fetches = [];
    down = new Set(['3002']);
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('exposes each upstream path where the route table sends it, and nothing else', async () => {
    const merged = await docs().serve(GATEWAY);
    expect(Object.keys(merged.paths).sort()).toEqual(['/.well-known/internal-jwks.json', '/oauth/token', '/shop/items']);
    expect(merged.paths['/.well-known/internal-jwks.json'].get?.operationId).toBe('Jwks_get');
  });

  it('tags by app, keeps ids unique and asks for the token the route needs', async () => {
    const merged = await docs().serve(GATEWAY);
    expect(merged.paths['/oauth/token'].post).toMatchObject({ tags: ['auth'], security: [{}] });
    expect(merged.paths['/shop/items'].get).toMatchObject({
      tags: ['orders'],
      operationId: 'orders_Jwks_get',
      security: [{ oauth2: ['orders:read'] }, { bearer: [] }],
    });
    expect(merged.tags?.map((tag) => tag.name)).toEqual(['auth', 'orders']);
  });

  it('renames a colliding schema and the references to it; an identical one is shared', async () => {
    const merged = await docs().serve(GATEWAY);
    expect(merged.components?.schemas).toEqual({ Problem: { type: 'object' }, Token: { type: 'object' }, OrdersProblem: { type: 'string' } });
    expect(JSON.stringify(merged.paths['/shop/items'])).toContain('#/components/schemas/OrdersProblem');
    expect(JSON.stringify(merged.paths['/oauth/token'])).toContain('#/components/schemas/Token');
  });

  it('offers the authorization code, password and client-credentials flows at the issuer', async () => {
    const merged = await docs().serve(GATEWAY);
    const tokenUrl = 'https://id.example.test/oauth/token';
    expect(merged.components?.securitySchemes?.oauth2).toMatchObject({
      type: 'oauth2',
      flows: {
        authorizationCode: {
          authorizationUrl: 'https://id.example.test/oauth/authorize',
          tokenUrl,
          scopes: { openid: expect.any(String), 'orders:read': expect.any(String) },
        },
        password: { tokenUrl, scopes: { 'orders:read': expect.any(String) } },
        clientCredentials: { tokenUrl },
      },
    });
  });

  it('names a missing upstream and never touches the document it was given', async () => {
    const before = JSON.stringify(GATEWAY);
    const merged = await docs().serve(GATEWAY);
    expect(merged.info.description).toContain('Unavailable: users.');
    expect(JSON.stringify(GATEWAY)).toBe(before);
  });

  it('fetches once per round, shared by concurrent readers, and again when the round expires', async () => {
    down.clear();
    UPSTREAMS['3002'] = document({});
    const platform = docs();
    await Promise.all([platform.serve(GATEWAY), platform.serve(GATEWAY)]);
    expect(fetches.sort()).toEqual(['3001', '3002', '3003']);
    now += DOCS_TTL_MS - 1;
    await platform.serve(GATEWAY);
    expect(fetches).toHaveLength(3);
    now += 1;
    await platform.serve(GATEWAY);
    expect(fetches).toHaveLength(6);
    delete UPSTREAMS['3002'];
  });

  it('asks again sooner while an upstream is missing', async () => {
    const platform = docs();
    await platform.serve(GATEWAY);
    now += DEGRADED_DOCS_TTL_MS;
    down.clear();
    UPSTREAMS['3002'] = document({});
    expect((await platform.serve(GATEWAY)).info.description).not.toContain('Unavailable');
    delete UPSTREAMS['3002'];
  });
});
