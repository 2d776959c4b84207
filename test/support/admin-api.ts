import { http, type HttpResult } from './http';
import { basic, postForm } from './oauth';

/** One token per named caller, from the token endpoint of `authUrl`. */
export interface Callers {
  [name: string]: { client: string; secret: string; fields: Record<string, string> };
}

/**
 * The Admin API as the suites use it: each named caller signs in once, then calls as itself,
 * JSON in and out.
 */
export class AdminApi {
  private readonly tokens: Record<string, string> = {};

  constructor(private readonly authUrl: string) {}

  async signIn(callers: Callers): Promise<void> {
    for (const [name, { client, secret, fields }] of Object.entries(callers)) {
      const answer = await postForm<{ access_token: string }>(`${this.authUrl}/oauth/token`, fields, { authorization: basic(client, secret) });
      if (answer.status !== 200) throw new Error(`${name} could not sign in: ${answer.status}`);
      this.tokens[name] = answer.body.access_token;
    }
  }

  call<T = Record<string, unknown>>(as: string, method: string, path: string, body?: unknown): Promise<HttpResult<T>> {
    return http<T>(`${this.authUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.tokens[as]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  }
}
