import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningApp, startApp, startupFailure } from '@gatehouse/app-kit';
import { StartupError } from '@gatehouse/config';
import { generateDevCerts, type DevCertFiles } from '../apps/cli/src/certs/dev-certs';
import { gatewayApp } from '../apps/gateway/src/gateway.app';
import { eventually, http } from './support/http';
import { handshake, httpsGet, plainRequest } from './support/https';
import { createTestEnv, freePort, type TestEnv } from './support/test-env';

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The gateway at the edge: HTTPS from PEM files with a development CA, HSTS, the redirect
 * listener, a renewed certificate served without a restart, and production refusing plain HTTP.
 */
describe('gateway over HTTPS', () => {
  let testEnv: TestEnv;
  let certs: DevCertFiles;
  let gateway: RunningApp;
  let redirectPort: number;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    certs = await generateDevCerts({ folder: join(testEnv.dataDir, 'certs') });
    redirectPort = await freePort();
    gateway = await startApp(gatewayApp, {
      env: { ...testEnv.env, TLS_CERT_FILE: certs.certs.gateway.cert, TLS_KEY_FILE: certs.certs.gateway.key, HTTP_REDIRECT_PORT: String(redirectPort) },
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await testEnv?.cleanup();
  });

  it('serves HTTPS to a client trusting the CA, with HSTS', async () => {
    expect(gateway.url).toBe(`https://127.0.0.1:${testEnv.env.GATEWAY_PORT}`);
    const answer = await httpsGet(`${gateway.url}/health/live`, certs.ca);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'ok' });
    expect(answer.headers['strict-transport-security']).toBe(HSTS);
    expect(answer.peer.subject.CN).toBe('gateway');
  });

  it('is refused by a client that does not trust the CA, and refuses TLS before 1.2', async () => {
    const port = Number(testEnv.env.GATEWAY_PORT);
    expect(await handshake({ host: '127.0.0.1', port })).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const old = await handshake({ host: '127.0.0.1', port, ca: readFileSync(certs.ca), maxVersion: 'TLSv1.1', minVersion: 'TLSv1' });
    expect(old).not.toBe(true);
    expect(await handshake({ host: '127.0.0.1', port, ca: readFileSync(certs.ca), maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA' })).not.toBe(true);
    expect(await handshake({ host: '127.0.0.1', port, ca: readFileSync(certs.ca), maxVersion: 'TLSv1.2' })).toBe(true);
  });

  it('answers plain HTTP on the redirect port with a 308 to the same URL over HTTPS', async () => {
    const answer = await plainRequest(`http://127.0.0.1:${redirectPort}/users/me?x=1`, 'POST', { host: `localhost:${redirectPort}` });
    expect(answer.status).toBe(308);
    expect(answer.headers.location).toBe(`https://localhost:${testEnv.env.GATEWAY_PORT}/users/me?x=1`);
    expect(answer.body).toBe('');
    expect((await plainRequest(`http://127.0.0.1:${redirectPort}/`, 'GET', { host: 'bad host' })).status).toBe(400);
  });

  it('serves a replaced certificate without a restart', async () => {
    const before = (await httpsGet(`${gateway.url}/health/live`, certs.ca)).peer.fingerprint256;
    const renewed = await generateDevCerts({ folder: join(testEnv.dataDir, 'renewed'), names: ['gateway'] });
    copyFileSync(renewed.certs.gateway.key, certs.certs.gateway.key);
    copyFileSync(renewed.certs.gateway.cert, certs.certs.gateway.cert);
    let after: string | undefined;
    const served = await eventually(async () => {
      after = (await httpsGet(`${gateway.url}/health/live`, renewed.ca)).peer.fingerprint256;
      return true;
    }, 10_000);
    expect(served).toBe(true);
    expect(after).not.toBe(before);
    // The old CA no longer vouches for what is served.
    await expect(httpsGet(`${gateway.url}/health/live`, certs.ca)).rejects.toThrow();
  }, 20_000);
});

describe('gateway TLS start-up rules', () => {
  let testEnv: TestEnv;
  const production = () => ({
    ...testEnv.env,
    NODE_ENV: 'production',
    INTERNAL_KEYS_ENCRYPTION_SECRET: 'x'.repeat(40),
    GATEWAY_CLIENT_SECRET: 'y'.repeat(40),
    REDIS_URL: testEnv.env.REDIS_URL ?? 'redis://127.0.0.1:1',
  });

  beforeAll(async () => {
    testEnv = await createTestEnv();
  });

  afterAll(async () => {
    await testEnv?.cleanup();
  });

  it('production without TLS refuses to start, in one block without a stack', async () => {
    const error: unknown = await startApp(gatewayApp, { env: production() }).then(
      () => new Error('started'),
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toBe(
      'Refusing to start, invalid settings:\n  - TLS_CERT_FILE: production serves HTTPS: set TLS_CERT_FILE and TLS_KEY_FILE, or TLS_TERMINATED_UPSTREAM=true when a load balancer in front terminates TLS',
    );
    const printed = startupFailure(error, 'info');
    expect(printed).toContain('Gatehouse cannot start.\nRefusing to start, invalid settings:\n  - TLS_CERT_FILE: production serves HTTPS');
    expect(printed).not.toMatch(/^\s+at /m);
  });

  it('a certificate without its key, and a missing file, are named', async () => {
    const cert = join(testEnv.dataDir, 'no-such.crt');
    const only = await startApp(gatewayApp, { env: { ...testEnv.env, TLS_CERT_FILE: cert } }).catch((failure: Error) => failure);
    expect((only as Error).message).toBe('TLS_CERT_FILE is set without TLS_KEY_FILE\n  Fix: set both to serve HTTPS, or neither to serve plain HTTP');
    const missing = await startApp(gatewayApp, { env: { ...testEnv.env, TLS_CERT_FILE: cert, TLS_KEY_FILE: cert } }).catch((failure: Error) => failure);
    expect((missing as Error).message).toBe(`TLS_CERT_FILE ${cert}: no such file\n  Fix: point TLS_CERT_FILE at the file, or create it`);
  });

  it('behind a load balancer: HSTS and redirects by a trusted proxy X-Forwarded-Proto only', async () => {
    const gateway = await startApp(gatewayApp, { env: { ...production(), TLS_TERMINATED_UPSTREAM: 'true', GATEWAY_TRUSTED_PROXIES: '127.0.0.1' } });
    try {
      const overHttps = await http(`${gateway.url}/health/live`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(overHttps.status).toBe(200);
      expect(overHttps.headers.get('strict-transport-security')).toBe(HSTS);
      const overHttp = await plainRequest(`${gateway.url}/users/me`, 'GET', { 'x-forwarded-proto': 'http', host: 'api.example.com' });
      expect(overHttp.status).toBe(308);
      expect(overHttp.headers.location).toBe('https://api.example.com/users/me');
    } finally {
      await gateway.close();
    }
    const untrusting = await startApp(gatewayApp, { env: { ...production(), TLS_TERMINATED_UPSTREAM: 'true' } });
    try {
      const claimed = await http(`${untrusting.url}/health/live`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(claimed.status).toBe(200);
      expect(claimed.headers.get('strict-transport-security')).toBeNull();
      expect((await http(`${untrusting.url}/health/live`, { headers: { 'x-forwarded-proto': 'http' } })).status).toBe(200);
    } finally {
      await untrusting.close();
    }
  }, 60_000);
});
