import { DomainError } from '@gatehouse/contracts';
import { clientSecretBasic } from '@gatehouse/security';
import type { GatewaySettings } from '../gateway.settings';

const TIMEOUT_MS = 2_000;
const RETRY_AFTER = { 'retry-after': '5' };

/**
 * The gateway as a client of the auth app: `GATEWAY_CLIENT_ID` and `GATEWAY_CLIENT_SECRET` by
 * client_secret_basic, a form POST or a GET, never redirected, answered within 2 s. No answer,
 * or anything but a JSON object with status 200, is `503 auth_unavailable` with Retry-After.
 */
export class AuthAppClient {
  private readonly base: string;
  private readonly authorization: string;

  constructor(settings: GatewaySettings) {
    this.base = settings.upstream('AUTH_INTERNAL_URL').replace(/\/$/, '');
    this.authorization = clientSecretBasic(settings.GATEWAY_CLIENT_ID, settings.GATEWAY_CLIENT_SECRET ?? '');
  }

  post(path: string, form: Record<string, string>): Promise<Record<string, unknown>> {
    return this.send(path, { method: 'POST', body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  get(path: string): Promise<Record<string, unknown>> {
    return this.send(path, { method: 'GET', headers: {} });
  }

  private async send(path: string, init: { method: string; body?: string; headers: Record<string, string> }): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        ...init,
        headers: { authorization: this.authorization, accept: 'application/json', ...init.headers },
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new DomainError('auth_unavailable', `${path} failed: ${(error as Error).message}`, RETRY_AFTER);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status !== 200 || typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new DomainError('auth_unavailable', `${path} answered ${response.status}`, RETRY_AFTER);
    }
    return body as Record<string, unknown>;
  }
}
