import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings } from '@gatehouse/config';
import { BODY_LIMIT } from '@gatehouse/contracts';
import { GatewaySettings } from '../gateway.settings';
import { RouteTable } from './route-table';

describe('RouteTable', () => {
  let folder: string;
  const tableFrom = (yaml: string, env: Record<string, string> = {}) => {
    const file = join(folder, 'routes.yaml');
    writeFileSync(file, yaml);
    return RouteTable.load(loadSettings(GatewaySettings, { GATEWAY_ROUTES_FILE: file, ...env }).settings);
  };
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'gatehouse-routes-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('loads the shipped routes file with the design defaults', () => {
    const table = RouteTable.load(loadSettings(GatewaySettings, {}).settings);
    expect(table.match('/oauth/token')).toMatchObject({ auth: 'public', upstream: new URL('http://127.0.0.1:3001') });
    expect(table.match('/.well-known/jwks.json')).toMatchObject({ auth: 'public' });
    expect(table.match('/admin/keys')).toMatchObject({ auth: 'jwt', timeoutMs: 10_000, stripPrefix: false });
    expect(table.match('/orders/1')).toMatchObject({
      auth: 'jwt',
      upstream: new URL('http://127.0.0.1:3003'),
      tenant: ['subdomain', 'path', 'header', 'claim'],
    });
  });

  it("takes each route's body limit from its upstream service unless declared, never over GATEWAY_BODY_LIMIT", () => {
    const table = tableFrom(
      'routes:\n  - { prefix: /auth, upstream: AUTH_INTERNAL_URL }\n  - { prefix: /users, upstream: USERS_URL }\n  - { prefix: /big, upstream: ORDERS_URL, bodyLimit: 4194304 }\n  - { prefix: /huge, upstream: ORDERS_URL, bodyLimit: 99999999 }\n',
      { GATEWAY_BODY_LIMIT: '8388608' },
    );
    expect(table.match('/auth/register')).toMatchObject({ bodyLimit: BODY_LIMIT.auth, upstreamBodyLimit: BODY_LIMIT.auth });
    expect(table.match('/users/me')).toMatchObject({ bodyLimit: BODY_LIMIT.users });
    expect(table.match('/big')).toMatchObject({ bodyLimit: 4_194_304, upstreamBodyLimit: BODY_LIMIT.orders });
    expect(table.match('/huge')).toMatchObject({ bodyLimit: 8_388_608 });
    expect(() => tableFrom('routes:\n  - { prefix: /a, upstream: USERS_URL, bodyLimit: 10 }\n')).toThrow(/route 0 \(\/a\)\.bodyLimit/);
  });

  it('names the route and the field of every error', () => {
    const attempt = () => tableFrom('routes:\n  - { prefix: /ok, upstream: USERS_URL }\n  - { prefix: /bad, upstream: NOWHERE, auth: maybe, timeoutMs: 5 }\n');
    expect(attempt).toThrow(/route 1 \(\/bad\)\.upstream/);
    expect(attempt).toThrow(/route 1 \(\/bad\)\.auth/);
    expect(attempt).toThrow(/route 1 \(\/bad\)\.timeoutMs/);
  });

  it('reads step-up requirements, refuses malformed ones and any on a public route', () => {
    const table = tableFrom('routes:\n  - { prefix: /pay, upstream: ORDERS_URL, requireAcr: [urn:gatehouse:acr:mfa], maxAuthAge: 300 }\n');
    expect(table.match('/pay')).toMatchObject({ requireAcr: ['urn:gatehouse:acr:mfa'], maxAuthAge: 300 });
    expect(tableFrom('routes:\n  - { prefix: /a, upstream: USERS_URL }\n').match('/a')).toMatchObject({ requireAcr: [] });
    expect(() => tableFrom('routes:\n  - { prefix: /a, upstream: USERS_URL, requireAcr: ["a b"] }\n')).toThrow(/route 0 \(\/a\)\.requireAcr/);
    expect(() => tableFrom('routes:\n  - { prefix: /a, upstream: USERS_URL, maxAuthAge: -1 }\n')).toThrow(/route 0 \(\/a\)\.maxAuthAge/);
    expect(() => tableFrom('routes:\n  - { prefix: /a, upstream: USERS_URL, auth: public, maxAuthAge: 60 }\n')).toThrow(/GATEWAY_ROUTES_FILE/);
  });

  it('refuses unknown fields and a prefix declared twice', () => {
    expect(() => tableFrom('routes:\n  - { prefix: /a, upstream: USERS_URL, colour: red }\n')).toThrow(/colour/);
    expect(() => tableFrom('routes:\n  - { prefix: /a, upstream: USERS_URL }\n  - { prefix: /a, upstream: ORDERS_URL }\n')).toThrow(
      'prefix declared twice: /a',
    );
  });

  it('matches whole path segments and prefers the longest prefix', () => {
    const table = tableFrom('routes:\n  - { prefix: /users, upstream: USERS_URL }\n  - { prefix: /users/admin, upstream: ORDERS_URL, auth: public }\n', {
      USERS_URL: 'http://users:3002',
    });
    expect(table.match('/users')?.upstream.host).toBe('users:3002');
    expect(table.match('/users/1')?.upstream.host).toBe('users:3002');
    expect(table.match('/users/admin/x')?.auth).toBe('public');
    expect(table.match('/usersx')).toBeUndefined();
    expect(table.match('/other')).toBeUndefined();
  });

  it("refuses introspection and session routes without the gateway's client secret", () => {
    for (const mode of ['introspection', 'session']) {
      const file = `routes:\n  - { prefix: /a, upstream: USERS_URL, auth: ${mode} }\n`;
      expect(() => tableFrom(file)).toThrow(`route /a: auth mode ${mode} needs GATEWAY_CLIENT_SECRET`);
      expect(tableFrom(file, { GATEWAY_CLIENT_SECRET: 'a-secret-of-16-chars-or-more' }).match('/a')?.auth).toBe(mode);
    }
  });

  it("refuses a session route that would pass the caller's credential through: it has no bearer token", () => {
    const secret = { GATEWAY_CLIENT_SECRET: 'a-secret-of-16-chars-or-more' };
    expect(() => tableFrom('routes:\n  - { prefix: /a, upstream: USERS_URL, auth: session, propagation: pass-through }\n', secret)).toThrow(
      'route /a: auth mode session cannot use propagation pass-through',
    );
    expect(() => tableFrom('routes:\n  - { prefix: /a, upstream: USERS_URL, auth: session }\n', { ...secret, IDENTITY_PROPAGATION: 'pass-through' })).toThrow(
      'cannot use propagation pass-through',
    );
  });

  it('takes the propagation mode from IDENTITY_PROPAGATION unless the route names one, and the audience from the upstream', () => {
    const table = tableFrom('routes:\n  - { prefix: /a, upstream: USERS_URL }\n  - { prefix: /b, upstream: AUTH_INTERNAL_URL, propagation: pass-through }\n', {
      IDENTITY_PROPAGATION: 'headers',
    });
    expect(table.match('/a')).toMatchObject({ propagation: 'headers', audience: 'users' });
    expect(table.match('/b')).toMatchObject({ propagation: 'pass-through', audience: 'auth' });
    expect(RouteTable.load(loadSettings(GatewaySettings, {}).settings).match('/admin/keys')).toMatchObject({ propagation: 'pass-through' });
  });

  it("routes to a team's own service by URL, minting internal tokens for the service it names, with a 1 MiB body limit", () => {
    const table = tableFrom('routes:\n  - { prefix: /billing, upstream: "http://127.0.0.1:4100", service: billing, roles: [admin] }\n');
    expect(table.match('/billing/invoices')).toMatchObject({
      upstream: new URL('http://127.0.0.1:4100'),
      upstreamName: 'http://127.0.0.1:4100',
      audience: 'billing',
      roles: ['admin'],
      bodyLimit: 1024 * 1024,
      upstreamBodyLimit: 1024 * 1024,
    });
  });

  it('refuses an upstream URL without a service, a path or query in it, and a platform upstream under another name', () => {
    expect(() => tableFrom('routes:\n  - { prefix: /billing, upstream: "http://127.0.0.1:4100" }\n')).toThrow(
      /route \/billing: an upstream by URL needs service/,
    );
    expect(() => tableFrom('routes:\n  - { prefix: /billing, upstream: "http://127.0.0.1:4100/x?y", service: billing }\n')).toThrow(
      /route 0 \(\/billing\)\.upstream: upstream must name one of .*http\(s\) origin/,
    );
    expect(() => tableFrom('routes:\n  - { prefix: /billing, upstream: "ftp://h", service: billing }\n')).toThrow(/upstream must name one of/);
    expect(() => tableFrom('routes:\n  - { prefix: /b, upstream: "http://h:1", service: Billing_1 }\n')).toThrow(/service must be lower-case/);
    expect(() => tableFrom('routes:\n  - { prefix: /u, upstream: USERS_URL, service: billing }\n')).toThrow(/USERS_URL is the users service, not billing/);
    expect(() => tableFrom('routes:\n  - { prefix: /u, upstream: "http://elsewhere:80", service: users }\n')).toThrow(/service users is a platform app's name/);
  });
});
