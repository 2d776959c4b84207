import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { generateDevCerts, type DevCertFiles } from '../apps/cli/src/certs/dev-certs';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { http } from './support/http';
import { createTestEnv, freePort, type TestEnv } from './support/test-env';

/**
 * An https upstream that requires a client certificate of the platform's CA: the gateway's pool
 * checks the upstream against TLS_CA_FILE and presents its own certificate.
 */
describe('gateway to an https upstream over mutual TLS', () => {
  let testEnv: TestEnv;
  let certs: DevCertFiles;
  let upstream: Server;
  let routes: string;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    certs = await generateDevCerts({ folder: join(testEnv.dataDir, 'certs'), names: ['gateway', 'users'] });
    upstream = createServer(
      {
        ca: readFileSync(certs.ca),
        cert: readFileSync(certs.certs.users.cert),
        key: readFileSync(certs.certs.users.key),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (request, response) => {
        const peer = (request.socket as TLSSocket).getPeerCertificate().subject?.CN;
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ peer }));
      },
    );
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    routes = join(testEnv.dataDir, 'routes.yaml');
    writeFileSync(routes, 'routes:\n  - { prefix: /echo, upstream: USERS_URL, auth: public, stripPrefix: true }\n');
  });

  afterAll(async () => {
    await new Promise((resolve) => upstream?.close(resolve));
    await testEnv?.cleanup();
  });

  const gatewayWith = async (extra: Record<string, string>): Promise<RunningApp> =>
    startApp(gatewayApp, {
      env: {
        ...testEnv.env,
        GATEWAY_PORT: String(await freePort()),
        GATEWAY_ROUTES_FILE: routes,
        USERS_URL: `https://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
        ...extra,
      },
    });

  it('reaches the upstream, which sees the gateway certificate', async () => {
    const gateway = await gatewayWith({
      TLS_CA_FILE: certs.ca,
      TRANSPORT_TLS_CERT_FILE: certs.certs.gateway.cert,
      TRANSPORT_TLS_KEY_FILE: certs.certs.gateway.key,
    });
    try {
      const answer = await http(`${gateway.url}/echo/anything`);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ peer: 'gateway' });
    } finally {
      await gateway.close();
    }
  });

  it('without the CA the upstream is not trusted, and without a certificate it refuses: 503 both', async () => {
    const variants: Record<string, string>[] = [{}, { TLS_CA_FILE: certs.ca }];
    for (const extra of variants) {
      const gateway = await gatewayWith(extra);
      try {
        const answer = await http(`${gateway.url}/echo/anything`);
        expect(answer.status).toBe(503);
        expect(answer.body).toMatchObject({ error: 'upstream_unavailable' });
        expect(answer.headers.get('retry-after')).toBe('1');
      } finally {
        await gateway.close();
      }
    }
  }, 60_000);
});
