import { EventEmitter } from 'node:events';
import { DomainError } from '@gatehouse/contracts';
import { clientSecretBasic } from '@gatehouse/security';
import { type Dispatcher, request } from 'undici';
import type { GatewaySettings } from '../gateway.settings';

const TIMEOUT_MS = 2_000;
const RETRY_AFTER = { 'retry-after': '5' };

/**
 * The gateway as a client of the auth app: `GATEWAY_CLIENT_ID` and `GATEWAY_CLIENT_SECRET` by
 * client_secret_basic, a form POST or a GET, never redirected, answered within 2 s. No answer,
 * or anything but a JSON object with status 200, is `503 auth_unavailable` with Retry-After.
 *
 * undici's `request` rather than `fetch`: the revocation feed calls this every second and the
 * introspection route on every cache miss. `fetch` spends per call a WHATWG Request, Response and
 * body stream, and an `AbortSignal.timeout` whose timer outlives the call; on Node 20 every
 * AbortSignal survives the young-generation collections, so each one is old-space garbage that
 * only a full mark-compact frees. The deadline here is one timer, cleared with the answer.
 */
export class AuthAppClient {
  private readonly base: string;
  private readonly authorization: string;

  constructor(settings: GatewaySettings) {
    this.base = settings.upstream('AUTH_INTERNAL_URL').replace(/\/$/, '');
    this.authorization = clientSecretBasic(settings.GATEWAY_CLIENT_ID, settings.GATEWAY_CLIENT_SECRET ?? '');
  }

  post(path: string, form: Record<string, string>): Promise<Record<string, unknown>> {
    return this.send(path, 'POST', new URLSearchParams(form).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  }

  get(path: string): Promise<Record<string, unknown>> {
    return this.send(path, 'GET', undefined, {});
  }

  private async send(path: string, method: 'GET' | 'POST', body: string | undefined, headers: Record<string, string>): Promise<Record<string, unknown>> {
    const deadline = new Deadline(TIMEOUT_MS);
    try {
      let answer: Dispatcher.ResponseData;
      try {
        answer = await request(`${this.base}${path}`, {
          method,
          body,
          headers: { authorization: this.authorization, accept: 'application/json', ...headers },
          // undici's request follows no redirect: a 3xx is refused below like any other status.
          signal: deadline,
        });
      } catch (error) {
        throw new DomainError('auth_unavailable', `${path} failed: ${(error as Error).message}`, RETRY_AFTER);
      }
      if (answer.statusCode !== 200) {
        await answer.body.dump().catch(() => undefined);
        throw new DomainError('auth_unavailable', `${path} answered ${answer.statusCode}`, RETRY_AFTER);
      }
      const parsed: unknown = await answer.body.json().catch(() => undefined);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new DomainError('auth_unavailable', `${path} answered 200 without a JSON object`, RETRY_AFTER);
      }
      return parsed as Record<string, unknown>;
    } finally {
      deadline.clear();
    }
  }
}

/**
 * The call's deadline as the EventEmitter signal undici accepts in place of an AbortSignal: it
 * emits `abort` once the time has passed, with `reason` set as undici reads it, and costs
 * nothing once cleared.
 */
class Deadline extends EventEmitter {
  reason: Error | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(ms: number) {
    super();
    this.timer = setTimeout(() => {
      this.reason = new Error(`no answer within ${ms} ms`);
      this.emit('abort');
    }, ms);
    this.timer.unref();
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
