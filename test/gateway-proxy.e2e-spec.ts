import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { type Echo, EchoUpstream } from './support/echo-upstream';
import { http } from './support/http';
import { createTestEnv, freePort, type TestEnv } from './support/test-env';

const ROUTES = `
routes:
  - { prefix: /echo, upstream: USERS_URL, auth: public }
  - { prefix: /strip, upstream: USERS_URL, auth: public, stripPrefix: true }
  - { prefix: /slow, upstream: USERS_URL, auth: public, timeoutMs: 300 }
  - { prefix: /down, upstream: ORDERS_URL, auth: public }
  - { prefix: /private, upstream: USERS_URL }
`;

describe('gateway: routing and proxying', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  let gateway: RunningApp;
  let upstreamUrl: string;

  beforeAll(async () => {
    upstream = new EchoUpstream();
    upstreamUrl = await upstream.start();
    testEnv = await createTestEnv();
    const routes = join(testEnv.dataDir, 'routes.yaml');
    writeFileSync(routes, ROUTES);
    gateway = await startApp(gatewayApp, {
      env: {
        ...testEnv.env,
        GATEWAY_BODY_LIMIT: '65536',
        GATEWAY_ROUTES_FILE: routes,
        USERS_URL: upstreamUrl,
        ORDERS_URL: `http://127.0.0.1:${await freePort()}`,
      },
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    await testEnv?.cleanup();
  });

  it('forwards method, path, query and body, and answers with the upstream status and headers', async () => {
    const answer = await http<Echo>(`${gateway.url}/echo/items?size=2&q=a%20b`, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'payload' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ method: 'PUT', url: '/echo/items?size=2&q=a%20b', body: 'payload' });
    expect(answer.headers.get('x-upstream')).toBe('echo');
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('strips every identity header a client sends, and sets its own forwarding headers', async () => {
    const forged = {
      'x-user-id': 'admin',
      'x-tenant-id': 'other',
      'x-client-id': 'ops',
      'x-token-scopes': 'admin',
      'x-subject-type': 'client',
      'x-internal-token': 'x',
      'x-authenticated-user': 'root',
      'x-forwarded-user': 'root',
      'x-forwarded-for': '10.0.0.1',
      forwarded: 'for=10.0.0.1;proto=https;by=203.0.113.9',
      'x-real-ip': '10.0.0.1',
      'x-request-id': 'req-kept-0123456789',
    };
    const answer = await http<Echo>(`${gateway.url}/echo`, { headers: forged });
    const seen = Object.keys(answer.body.headers);
    for (const name of Object.keys(forged).filter((name) => name !== 'x-request-id' && name !== 'x-forwarded-for')) expect(seen).not.toContain(name);
    expect(answer.body.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(answer.body.headers['x-forwarded-proto']).toBe('http');
    expect(answer.body.headers['x-request-id']).toBe('req-kept-0123456789');
  });

  it('passes a valid W3C traceparent to the upstream unchanged, and never a malformed one', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect((await http<Echo>(`${gateway.url}/echo`, { headers: { traceparent } })).body.headers.traceparent).toBe(traceparent);
    for (const malformed of [
      '00-xyz-00f067aa0ba902b7-01',
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    ]) {
      const answer = await http<Echo>(`${gateway.url}/echo`, { headers: { traceparent: malformed } });
      expect(answer.status).toBe(200);
      expect(answer.body.headers.traceparent).toBeUndefined();
    }
    // Without one, none is invented: tracing is off by default and costs nothing.
    expect((await http<Echo>(`${gateway.url}/echo`)).body.headers.traceparent).toBeUndefined();
  });

  it('counts an unreachable upstream in gatehouse_upstream_errors_total, by upstream origin', async () => {
    const down = new URL((gateway.settings as unknown as { ORDERS_URL: string }).ORDERS_URL).origin;
    const sample = (metrics: string) =>
      Number(
        new RegExp(`^gatehouse_upstream_errors_total\\{upstream="${down}",code="upstream_unavailable",app="gateway"\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? NaN,
      );
    const before = sample((await http<string>(`${gateway.url}/metrics`)).body);
    expect(before).toBe(0);
    expect((await http(`${gateway.url}/down/x`)).status).toBe(503);
    expect(sample((await http<string>(`${gateway.url}/metrics`)).body)).toBe(before + 1);
  });

  it('keeps X-Forwarded-* only from a trusted proxy, appending the proxy to the chain', async () => {
    const trusting = await startApp(gatewayApp, {
      env: {
        ...testEnv.env,
        GATEWAY_PORT: String(await freePort()),
        GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8,127.0.0.1',
        GATEWAY_ROUTES_FILE: join(testEnv.dataDir, 'routes.yaml'),
        USERS_URL: upstreamUrl,
      },
    });
    try {
      const sent = { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.test' };
      const answer = await http<Echo>(`${trusting.url}/echo`, { headers: { ...sent, forwarded: 'for=198.51.100.1', 'x-real-ip': '198.51.100.1' } });
      expect(answer.body.headers).toMatchObject({
        'x-forwarded-for': '203.0.113.7, 127.0.0.1',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'api.example.test',
      });
      // The gateway speaks X-Forwarded-* only: other forwarding headers never reach a service.
      expect(Object.keys(answer.body.headers)).not.toContain('forwarded');
      expect(Object.keys(answer.body.headers)).not.toContain('x-real-ip');
      const untrusted = await http<Echo>(`${gateway.url}/echo`, { headers: sent });
      expect(untrusted.body.headers['x-forwarded-proto']).toBe('http');
      expect(untrusted.body.headers['x-forwarded-host']).toBe(new URL(gateway.url).host);
    } finally {
      await trusting.close();
    }
  });

  it('strips the route prefix when the route says so', async () => {
    expect((await http<Echo>(`${gateway.url}/strip/a/b?x=1`)).body.url).toBe('/a/b?x=1');
  });

  it('answers an unknown route with 404 route_not_found', async () => {
    const answer = await http(`${gateway.url}/nowhere`, { headers: { 'x-request-id': 'req-nowhere-000001' } });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: 'route_not_found', message: 'No route matches this request.', requestId: 'req-nowhere-000001' });
  });

  it('answers 503 upstream_unavailable with Retry-After when the upstream refuses connections', async () => {
    const answer = await http(`${gateway.url}/down`);
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ error: 'upstream_unavailable', message: expect.any(String), requestId: expect.any(String) });
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('bounds the whole exchange by the route timeout, the wait for a pooled connection included, and refuses past a full queue', async () => {
    const pooled = await startApp(gatewayApp, {
      env: {
        ...testEnv.env,
        GATEWAY_PORT: String(await freePort()),
        GATEWAY_ROUTES_FILE: join(testEnv.dataDir, 'routes.yaml'),
        USERS_URL: upstreamUrl,
        UPSTREAM_CONNECTIONS: '2',
        UPSTREAM_QUEUE_LIMIT: '2',
      },
    });
    try {
      // Two requests hold both connections, two wait in the queue, two find it full.
      const timed = async () => {
        const started = performance.now();
        const answer = await http<{ error: string }>(`${pooled.url}/slow/x`);
        return { status: answer.status, error: answer.body.error, retryAfter: answer.headers.get('retry-after'), ms: performance.now() - started };
      };
      const answers = await Promise.all(Array.from({ length: 6 }, timed));
      expect(answers.map(({ status, error }) => `${status} ${error}`).sort()).toEqual([
        ...Array<string>(2).fill('503 upstream_unavailable'),
        ...Array<string>(4).fill('504 upstream_timeout'),
      ]);
      for (const answer of answers.filter(({ status }) => status === 503)) expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
      // The slow route allows 300 ms; the queued two are bounded by it too, not by the 2 s the running two take.
      for (const answer of answers.filter(({ status }) => status === 504)) expect(answer.ms).toBeLessThan(300 * 1.1 + 400);
    } finally {
      await pooled.close();
    }
  });

  it('answers 504 upstream_timeout when the upstream is slower than the route allows, and stays responsive', async () => {
    const [slow, quick] = await Promise.all([http(`${gateway.url}/slow`), http(`${gateway.url}/echo`)]);
    expect(slow.status).toBe(504);
    expect(slow.body).toMatchObject({ error: 'upstream_timeout' });
    expect(quick.status).toBe(200);
  });

  it('refuses a jwt route without a token: 401 missing_token, bare Bearer challenge', async () => {
    const answer = await http(`${gateway.url}/private`);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: 'missing_token' });
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
  });

  it('never lets a jwt route through without keys: 503 auth_unavailable with Retry-After while the issuer is unreachable', async () => {
    const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${segment({ alg: 'RS256', typ: 'at+jwt', kid: 'k1' })}.${segment({ iss: testEnv.env.AUTH_ISSUER, sub: 'x' })}.c2ln`;
    const answer = await http(`${gateway.url}/private`, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ error: 'auth_unavailable' });
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('refuses a body over GATEWAY_BODY_LIMIT with 413, declared or streamed, and passes one under it', async () => {
    const under = await http<Echo>(`${gateway.url}/echo`, { method: 'POST', body: 'a'.repeat(60_000) });
    expect(under.status).toBe(200);
    expect(under.body.body).toHaveLength(60_000);
    const declared = await http(`${gateway.url}/echo`, { method: 'POST', body: 'a'.repeat(70_000) });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ error: 'payload_too_large' });
    const chunks = [Buffer.alloc(40_000, 97), Buffer.alloc(40_000, 98)];
    const streamed = await http(`${gateway.url}/echo`, {
      method: 'POST',
      // No content-length: the body arrives chunked and is cut off as it passes the limit.
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      }),
      duplex: 'half',
    });
    expect(streamed.status).toBe(413);
    expect(streamed.body).toMatchObject({ error: 'payload_too_large' });
  });

  it('labels proxied requests in /metrics by the route they matched, never by their path', async () => {
    await http(`${gateway.url}/echo/items/42?x=1`);
    await http(`${gateway.url}/strip/a/b`);
    const text = (await http<string>(`${gateway.url}/metrics`)).text;
    expect(text).toMatch(/gatehouse_http_requests_total\{[^}]*route="\/echo"[^}]*status="200"[^}]*\}/);
    expect(text).toMatch(/gatehouse_http_requests_total\{[^}]*route="\/strip"[^}]*\}/);
    expect(text).not.toContain('/echo/items/42');
    // A request no route matched keeps the framework's template, one series for all of them.
    await http(`${gateway.url}/nowhere/${Math.random()}`);
    expect((await http<string>(`${gateway.url}/metrics`)).text).toMatch(/gatehouse_http_requests_total\{[^}]*route="\/\*"[^}]*status="404"[^}]*\}/);
  });

  it('keeps its own health, metrics and docs', async () => {
    expect((await http(`${gateway.url}/health/live`)).status).toBe(200);
    expect((await http(`${gateway.url}/metrics`)).status).toBe(200);
    expect((await http(`${gateway.url}/docs-json`)).status).toBe(200);
  });
});
