import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadSettings } from '@gatehouse/config';
import { DomainError } from '@gatehouse/contracts';
import { GatewaySettings } from '../gateway.settings';
import { AuthAppClient } from './auth-app-client';

const SECRET = 'a-secret-of-16-chars-or-more';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real auth stand-in on a loopback port: answers with `answer`, records every request. */
async function authServer(answer: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      answer(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function clientOf(url: string): AuthAppClient {
  const { settings } = loadSettings(GatewaySettings, { AUTH_INTERNAL_URL: url, GATEWAY_CLIENT_SECRET: SECRET });
  return new AuthAppClient(settings);
}

async function refusal(call: Promise<unknown>): Promise<DomainError> {
  const error: unknown = await call.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

const json =
  (status: number, body: string, headers: Record<string, string> = {}) =>
  (_: IncomingMessage, response: ServerResponse) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(body);
  };

describe('AuthAppClient', () => {
  const servers: Server[] = [];
  const start = async (answer: Parameters<typeof authServer>[0]) => {
    const started = await authServer(answer);
    servers.push(started.server);
    return started;
  };
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses any status but 200 as auth_unavailable with Retry-After', async () => {
    const { url } = await start(json(500, '{"error":"server_error"}'));
    const error = await refusal(clientOf(url).get('/internal/revocations?after=0'));
    expect(error.code).toBe('auth_unavailable');
    expect(error.headers).toEqual({ 'retry-after': '5' });
  });

  it('follows no redirect', async () => {
    const { url, seen } = await start((request, response) => {
      if (request.url === '/elsewhere') return json(200, '{"active":true}')(request, response);
      response.writeHead(302, { location: '/elsewhere' });
      response.end();
    });
    expect((await refusal(clientOf(url).post('/oauth/introspect', { token: 't' }))).code).toBe('auth_unavailable');
    expect(seen.map((request) => request.url)).toEqual(['/oauth/introspect']);
  });

  it('refuses a 200 whose body is not a JSON object', async () => {
    for (const body of ['not json', '[{"active":true}]', 'null', '"active"']) {
      const { url } = await start(json(200, body));
      expect((await refusal(clientOf(url).get('/internal/revocations?after=0'))).code).toBe('auth_unavailable');
    }
  });

  it('refuses when nothing listens', async () => {
    const { server, url } = await start(json(200, '{}'));
    await new Promise((resolve) => server.close(resolve));
    expect((await refusal(clientOf(url).get('/internal/revocations?after=0'))).code).toBe('auth_unavailable');
  });

  it('gives up on an answer that never comes', async () => {
    // Headers sent, body never finished: the deadline covers the whole answer, not only its start.
    const { url } = await start((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"events":');
    });
    const error = await refusal(clientOf(url).get('/internal/revocations?after=0'));
    expect(error.code).toBe('auth_unavailable');
  });

  it('GETs as the gateway client, by client_secret_basic, asking for JSON', async () => {
    const { url, seen } = await start(json(200, '{"events":[],"last":0,"more":false}'));
    await expect(clientOf(url).get('/internal/revocations?after=0')).resolves.toEqual({ events: [], last: 0, more: false });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/internal/revocations?after=0', body: '' });
    expect(seen[0].headers.authorization).toBe(`Basic ${Buffer.from(`gateway:${SECRET}`).toString('base64')}`);
    expect(seen[0].headers.accept).toBe('application/json');
  });

  it('POSTs a form', async () => {
    const { url, seen } = await start(json(200, '{"active":false}'));
    await expect(clientOf(`${url}/`).post('/oauth/introspect', { token: 'a b', token_type_hint: 'access_token' })).resolves.toEqual({ active: false });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/oauth/introspect', body: 'token=a+b&token_type_hint=access_token' });
    expect(seen[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
  });
});
