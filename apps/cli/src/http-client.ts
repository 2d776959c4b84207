import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Answer } from './case';

/**
 * The scan's only way out: requests to the one target, at most `limit` of them, each given up
 * after `timeoutMs`. Header lines are sent as listed, a repeated name as repeated lines.
 */
export class TargetClient {
  private sent = 0;

  constructor(
    private readonly target: URL,
    private readonly limit: number,
    private readonly timeoutMs: number,
  ) {}

  get requests(): number {
    return this.sent;
  }

  send(path: string, headers: [string, string][] = []): Promise<Answer> {
    if (this.sent >= this.limit) return Promise.reject(new Error(`request budget of ${this.limit} spent`));
    this.sent++;
    const url = new URL(path, this.target);
    if (url.origin !== this.target.origin) return Promise.reject(new Error(`${url.origin} is not the target`));
    const started = performance.now();
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const request = send(url, { method: 'GET', headers: grouped(headers), timeout: this.timeoutMs, agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, body: parse(text), ms: Math.round(performance.now() - started) });
        });
      });
      request.on('timeout', () => request.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      request.on('error', reject);
      request.end();
    });
  }
}

/** Header lines by name; a name listed twice becomes two lines on the wire, in the given order. */
function grouped(headers: [string, string][]): Record<string, string | string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of headers) (out[name.toLowerCase()] ??= []).push(value);
  return Object.fromEntries(Object.entries(out).map(([name, values]) => [name, values.length === 1 ? values[0] : values]));
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
