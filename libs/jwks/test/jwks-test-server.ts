/**
 * Test support for the jwks specs: a real HTTP server on 127.0.0.1 (so the fetch path under test
 * is the real one, redirects and sockets included) and real keys from node:crypto.
 */
import { generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JwksScheduler } from '../src/jwks.types';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface TestKey {
  kid: string;
  jwk: JsonWebKey;
  privateKey: KeyObject;
}

export function rsaKey(kid: string, modulusLength = 2048): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

export function ecKey(kid: string, namedCurve = 'P-256'): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid } };
}

export function ed25519Key(kid: string): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid } };
}

export function jwksOf(...keys: TestKey[]): { keys: JsonWebKey[] } {
  return { keys: keys.map((key) => key.jwk) };
}

export function sendJson(response: ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * Serves `jwks` as JSON on every path unless `handler` is set; counts requests per path, so
 * tests assert how many fetches really reached the network.
 */
export class JwksTestServer {
  jwks: unknown = { keys: [] };
  handler: Handler | undefined;
  private readonly hits = new Map<string, number>();
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => {
      const path = request.url ?? '/';
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      if (this.handler) this.handler(request, response);
      else sendJson(response, this.jwks);
    });
  }

  static async start(): Promise<JwksTestServer> {
    const instance = new JwksTestServer();
    await new Promise<void>((resolve) => instance.server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  url(path = '/jwks.json'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  requests(path = '/jwks.json'): number {
    return this.hits.get(path) ?? 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A clock the test moves by hand: TTL, cooldown and staleness without sleeping. */
export class ManualClock {
  constructor(public now = 1_700_000_000_000) {}
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** Captures the cache's background timer so a test can check its delay and fire it. */
export class ManualScheduler {
  pending: { callback: () => void; delayMs: number } | undefined;
  readonly schedule: JwksScheduler = (callback, delayMs) => {
    const entry = { callback, delayMs };
    this.pending = entry;
    return () => {
      if (this.pending === entry) this.pending = undefined;
    };
  };
  fire(): void {
    const entry = this.pending;
    this.pending = undefined;
    entry?.callback();
  }
}
