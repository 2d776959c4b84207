import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Pool } from 'undici';
import { answerHeaders, DeadlinePassed, type UpstreamAnswer, UpstreamCall } from './upstream-call';

describe('UpstreamCall', () => {
  let server: Server;
  let pool: Pool;
  let held: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/small') {
        response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5', 'keep-alive': 'timeout=5', 'x-one': 'a' });
        response.end('hello');
      } else if (request.url === '/large') {
        // No declared length: streamed, in many chunks.
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        for (let i = 0; i < 64; i++) response.write(Buffer.alloc(4096, i));
        response.end();
      } else if (request.url === '/endless') {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        response.write(Buffer.alloc(100_000, 1));
      } else if (request.url === '/cut') {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        response.write(Buffer.alloc(100_000, 1));
        setTimeout(() => response.destroy(), 20);
      } else held.push(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 1 });
  });

  afterEach(() => {
    for (const response of held) response.destroy();
    held = [];
  });

  afterAll(async () => {
    await pool.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function call(path: string, timeoutMs = 2000): { answer: Promise<UpstreamAnswer>; released: () => number } {
    let released = 0;
    const answer = new Promise<UpstreamAnswer>((resolve, reject) => {
      pool.dispatch({ method: 'GET', path, headersTimeout: 0, bodyTimeout: 0 }, new UpstreamCall(timeoutMs, resolve, reject, () => released++));
    });
    return { answer, released: () => released };
  }

  async function drain(body: Buffer | Readable): Promise<Buffer> {
    if (Buffer.isBuffer(body)) return body;
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  it('gathers an answer of a small declared length into one buffer, without hop-by-hop headers', async () => {
    const { answer, released } = call('/small');
    const { statusCode, headers, body } = await answer;
    expect(statusCode).toBe(200);
    expect(Buffer.isBuffer(body) && body.toString()).toBe('hello');
    expect(headers).toMatchObject({ 'content-type': 'text/plain', 'content-length': '5', 'x-one': 'a' });
    expect(headers).not.toHaveProperty('keep-alive');
    expect(headers).not.toHaveProperty('connection');
    expect(released()).toBe(1);
  });

  it('streams an answer of no declared length, every byte in order', async () => {
    const { body } = await call('/large').answer;
    expect(body).toBeInstanceOf(Readable);
    const bytes = await drain(body);
    expect(bytes.length).toBe(64 * 4096);
    for (let i = 0; i < 64; i++) expect(bytes[i * 4096]).toBe(i);
  });

  it('destroys a streamed body the upstream cuts off, instead of ending it as if whole', async () => {
    const { body } = await call('/cut').answer;
    await expect(drain(body)).rejects.toThrow();
  });

  it('ends the exchange with the upstream when the streamed answer is abandoned', async () => {
    const upstreamClosed = new Promise<void>((resolve) => {
      server.once('request', (_request, response: ServerResponse) => response.once('close', () => resolve()));
    });
    const { body } = await call('/endless', 120_000).answer;
    (body as Readable).destroy();
    await upstreamClosed;
  });

  it('refuses at the deadline a call still queued for a connection, and releases it once', async () => {
    const holder = call('/hold', 5000);
    const queued = call('/hold-too', 100);
    await expect(queued.answer).rejects.toBeInstanceOf(DeadlinePassed);
    expect(queued.released()).toBe(1);
    // The holder's connection frees; the expired call is aborted when undici reaches it, not sent.
    for (const response of held) response.destroy();
    await expect(holder.answer).rejects.toThrow();
    expect(queued.released()).toBe(1);
  });

  it('aborts a call that has a connection when the deadline passes before the answer', async () => {
    const { answer, released } = call('/hold', 100);
    await expect(answer).rejects.toBeInstanceOf(DeadlinePassed);
    expect(released()).toBe(1);
  });
});

describe('answerHeaders', () => {
  const raw = (...pairs: string[]) => pairs.map((value) => Buffer.from(value, 'latin1'));

  it('lower-cases names, gathers repeated ones and keeps value bytes as latin1', () => {
    expect(answerHeaders(raw('Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'X-Name', 'caf\u00e9'))).toEqual({
      'set-cookie': ['a=1', 'b=2'],
      'x-name': 'caf\u00e9',
    });
  });

  it('drops hop-by-hop headers and those a Connection header lists', () => {
    const headers = answerHeaders(raw('Connection', 'X-Secret, close', 'X-Secret', 's', 'Transfer-Encoding', 'chunked', 'Upgrade', 'h2c', 'X-Kept', 'k'));
    expect(headers).toEqual({ 'x-kept': 'k' });
  });

  it('never lets a header name reach the object prototype', () => {
    const headers = answerHeaders(raw('__proto__', 'polluted', 'x-kept', 'k'));
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(headers).toEqual({ 'x-kept': 'k' });
  });
});
