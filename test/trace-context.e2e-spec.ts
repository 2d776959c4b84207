import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { parseTraceparent, startTracing } from '@gatehouse/observability';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { type Echo, EchoUpstream } from './support/echo-upstream';
import { http } from './support/http';
import { createTestEnv, type TestEnv } from './support/test-env';

/**
 * Trace context with OpenTelemetry on (OTEL_EXPORTER=console): the gateway's own span becomes
 * the parent the upstream sees, in the caller's trace. With it off (the default), see
 * gateway-proxy.e2e-spec (forwarded unchanged) and audit.e2e-spec (carried on a service's message).
 */

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const INCOMING = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe('trace context with an exporter on', () => {
  let testEnv: TestEnv;
  let upstream: EchoUpstream;
  let gateway: RunningApp;
  const seen = async (headers: Record<string, string> = {}) => {
    const answer = await http<Echo>(`${gateway.url}/echo`, { headers });
    expect(answer.status).toBe(200);
    return answer.body.headers.traceparent as string | undefined;
  };

  beforeAll(async () => {
    upstream = new EchoUpstream();
    const upstreamUrl = await upstream.start();
    testEnv = await createTestEnv();
    const routes = join(testEnv.dataDir, 'routes.yaml');
    writeFileSync(routes, 'routes:\n  - { prefix: /echo, upstream: USERS_URL, auth: public }\n');
    gateway = await startApp(gatewayApp, { env: { ...testEnv.env, GATEWAY_ROUTES_FILE: routes, USERS_URL: upstreamUrl, OTEL_EXPORTER: 'console' } });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    await testEnv?.cleanup();
  });

  it("continues the caller's trace under the gateway's own span", async () => {
    const forwarded = parseTraceparent(await seen({ traceparent: INCOMING }));
    expect(forwarded?.traceId).toBe(TRACE_ID);
    expect(forwarded?.parentId).toMatch(/^[0-9a-f]{16}$/);
    expect(forwarded?.parentId).not.toBe('00f067aa0ba902b7');
    expect(forwarded?.flags).toBe('01');
  });

  it('starts a new trace for a request without one, or with a malformed one', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { traceparent: '00-zz-00f067aa0ba902b7-01' },
      { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` },
    ]) {
      const forwarded = parseTraceparent(await seen(headers));
      expect(forwarded).toBeDefined();
      expect(forwarded?.traceId).not.toBe('0'.repeat(32));
    }
  });

  it('loads nothing with OTEL_EXPORTER=none', async () => {
    expect(await startTracing({ app: 'gateway', exporter: 'none' })).toBeUndefined();
  });

  it('refuses an exporter it does not know at start, naming the setting', async () => {
    await expect(startApp(gatewayApp, { env: { ...testEnv.env, OTEL_EXPORTER: 'jaeger' } })).rejects.toThrow(/OTEL_EXPORTER/);
  });
});
