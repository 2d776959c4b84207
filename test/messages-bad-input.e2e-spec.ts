import { connect as connectTcp } from 'node:net';
import { ClientProxyFactory, type ClientProxy } from '@nestjs/microservices';
import { connect as connectNats, headers as natsHeaders } from 'nats';
import { type RunningApp, startApp } from '@gatehouse/app-kit';
import { CommonSettings, loadSettings } from '@gatehouse/config';
import { DomainError, USERS_PATTERN } from '@gatehouse/contracts';
import { ServiceClient, ServiceTokenClient } from '@gatehouse/security';
import { messageClientOptions } from '@gatehouse/transport';
import { authApp } from '../apps/auth/src/auth.app';
import { usersApp } from '../apps/users/src/users.app';
import { referenceBootstrap, SECRETS } from './support/bootstrap';
import { basic, postForm } from './support/oauth';
import { createTestEnv, REAL, type TestEnv } from './support/test-env';

// Deeper than a client's JSON.stringify goes, so the payload is written as text, framed by hand.
const DEEP = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;

interface RawReply {
  err?: { error?: string };
  response?: unknown;
}

/** One request over TCP as Nest frames it: `<length>#<packet>`, the meta in the envelope. */
function overTcp(port: number, pattern: string, data: string, token: string): Promise<RawReply> {
  const packet = `{"pattern":"${pattern}","id":"raw-1","data":{"__gatehouse":{"authorization":"Bearer ${token}"},"data":${data}}}`;
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const hash = text.indexOf('#');
      if (hash > 0 && text.length - hash - 1 >= Number(text.slice(0, hash))) {
        socket.end();
        resolve(JSON.parse(text.slice(hash + 1)) as RawReply);
      }
    });
    socket.on('error', reject);
    socket.write(`${packet.length}#${packet}`);
  });
}

/** One request over NATS as Nest sends it: the packet as JSON, the meta in headers. */
async function overNats(url: string, pattern: string, data: string, token: string): Promise<RawReply> {
  const connection = await connectNats({ servers: url });
  try {
    const headers = natsHeaders();
    headers.set('authorization', `Bearer ${token}`);
    const reply = await connection.request(pattern, new TextEncoder().encode(`{"pattern":"${pattern}","id":"raw-1","data":${data}}`), {
      timeout: 3_000,
      headers,
    });
    return JSON.parse(new TextDecoder().decode(reply.data)) as RawReply;
  } finally {
    await connection.close();
  }
}

/** Message payloads (TCP, or NATS on real services) are screened by the same pipe as HTTP bodies. */
describe('messages: malformed payloads over the transport are invalid_request, never internal_error', () => {
  let testEnv: TestEnv;
  let auth: RunningApp;
  let users: RunningApp;
  let client: ClientProxy;
  let service: ServiceClient;

  const codeOf = (attempt: Promise<unknown>) =>
    attempt.then(
      () => 'passed',
      (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
    );

  beforeAll(async () => {
    testEnv = await createTestEnv();
    auth = await startApp(authApp, { env: { ...testEnv.env, ...referenceBootstrap(testEnv.dataDir) } });
    users = await startApp(usersApp, { env: testEnv.env });
    client = ClientProxyFactory.create(messageClientOptions(loadSettings(CommonSettings, testEnv.env).settings, 'test', 'users'));
    const tokens = new ServiceTokenClient({ clientId: 'orders-service', secret: SECRETS.ORDERS_SERVICE_SECRET, tokenUrl: `${auth.url}/oauth/token` });
    service = new ServiceClient(client, tokens, 3_000);
  });

  afterAll(async () => {
    await client?.close();
    await users?.close();
    await auth?.close();
    await testEnv?.cleanup();
  });

  it('a well-formed lookup still passes the screen', async () => {
    expect(await codeOf(service.send(USERS_PATTERN.get, { tenantId: 'acme', id: 'nobody' }))).toBe('not_found');
  });

  it(`a payload nested 10,000 levels deep, over ${REAL.nats ? 'NATS' : 'TCP'}`, async () => {
    const token = (
      await postForm<{ access_token: string }>(
        `${auth.url}/oauth/token`,
        { grant_type: 'client_credentials' },
        { authorization: basic('orders-service', SECRETS.ORDERS_SERVICE_SECRET) },
      )
    ).body.access_token;
    const data = `{"tenantId":"acme","ids":${DEEP}}`;
    const reply = REAL.nats
      ? await overNats(REAL.nats, USERS_PATTERN.getMany, data, token)
      : await overTcp(Number(testEnv.env.USERS_TCP_PORT), USERS_PATTERN.getMany, data, token);
    expect(reply.err).toEqual({ error: 'invalid_request', message: expect.any(String) });
  });

  it('a lone surrogate or U+0000 in a field', async () => {
    expect(await codeOf(service.send(USERS_PATTERN.get, { tenantId: 'acme', id: 'u\ud800' }))).toBe('invalid_request');
    expect(await codeOf(service.send(USERS_PATTERN.get, { tenantId: 'acme', id: 'u\u0000' }))).toBe('invalid_request');
  });
});
