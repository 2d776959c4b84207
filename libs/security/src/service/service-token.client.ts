import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import { clientSecretBasic } from './client-secret-basic';

/** Who this service is at the auth app: its client_credentials client. */
export interface ServiceCredentials {
  clientId: string;
  /** Unset: the service calls no one (a call then fails with `service_unavailable`). */
  secret?: string;
  tokenUrl: string;
}

export const SERVICE_CREDENTIALS = Symbol('gatehouse:service-credentials');

const TIMEOUT_MS = 2_000;

interface HeldToken {
  token: string;
  /** Milliseconds since the epoch: a new token is fetched from here on, well before expiry. */
  refreshAt: number;
}

/**
 * This service's access token for calling others: a client_credentials
 * token from the auth app, cached, refreshed before it expires with one request at a time however
 * many callers wait (single flight), and dropped when a callee says it no longer holds.
 */
@Injectable()
export class ServiceTokenClient {
  private held: HeldToken | undefined;
  private inflight: Promise<string> | undefined;
  private requested = 0;

  constructor(@Inject(SERVICE_CREDENTIALS) private readonly credentials: ServiceCredentials) {}

  /** Token requests sent to the auth app since start. */
  get requests(): number {
    return this.requested;
  }

  token(): Promise<string> {
    const held = this.held;
    if (held && Date.now() < held.refreshAt) return Promise.resolve(held.token);
    this.inflight ??= this.fetchToken().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  /** A callee refused `token`: the next call fetches a new one. */
  invalidate(token: string): void {
    if (this.held?.token === token) this.held = undefined;
  }

  private async fetchToken(): Promise<string> {
    const { clientId, secret, tokenUrl } = this.credentials;
    if (!secret) throw new DomainError('service_unavailable', `no secret configured for service client ${clientId}`);
    this.requested++;
    let answer: { access_token?: unknown; expires_in?: unknown };
    try {
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: {
          authorization: clientSecretBasic(clientId, secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      answer = (await response.json()) as typeof answer;
      if (!response.ok) throw new Error(`token endpoint answered ${response.status} ${JSON.stringify(answer).slice(0, 200)}`);
    } catch (error) {
      throw new DomainError('service_unavailable', `service token for ${clientId}: ${(error as Error).message}`);
    }
    if (typeof answer.access_token !== 'string' || typeof answer.expires_in !== 'number') {
      throw new DomainError('service_unavailable', 'token endpoint answered without access_token or expires_in');
    }
    // Refresh at 80% of the lifetime, so a token never reaches a callee about to expire.
    this.held = { token: answer.access_token, refreshAt: Date.now() + answer.expires_in * 800 };
    return answer.access_token;
  }
}
