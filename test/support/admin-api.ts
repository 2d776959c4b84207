import { http, type HttpResult } from './http';
import { basic, postForm } from './oauth';

/** The secrets and password of the Admin API suites' bootstrap (ADMIN_BOOTSTRAP_CLIENTS and _USERS). */
export const ADMIN_SECRET = { OPS: 'ops-secret-0123456789abcdefghijklmnopqrstuv', ACME: 'acme-cli-secret-0123456789abcdefghijklmnop' };
export const ADMIN_PASSWORD = 'a long passphrase for everyone';

/**
 * Bootstrap lines: the platform operator `ops`, and acme's first-party client that can also act as
 * itself. It holds `admin` too, which no token of a tenant's client ever carries.
 */
export const ADMIN_BOOTSTRAP_CLIENTS = [
  `  - { clientId: ops, secret: "${ADMIN_SECRET.OPS}", grantTypes: [client_credentials], scopes: [admin] }`,
  `  - { clientId: acme-cli, tenant: acme, secret: "${ADMIN_SECRET.ACME}", grantTypes: [password, client_credentials], scopes: [admin, profile], firstParty: true }`,
].join('\n');
/** Bootstrap lines: acme's administrator alice and plain user bob. */
export const ADMIN_BOOTSTRAP_USERS = [
  `  - { tenant: acme, username: alice, email: alice@acme.test, password: "${ADMIN_PASSWORD}", roles: [admin] }`,
  `  - { tenant: acme, username: bob, email: bob@acme.test, password: "${ADMIN_PASSWORD}" }`,
].join('\n');

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

  /**
   * The four callers the suites act as: `ops` (platform operator), `acmeService` (acme's client as
   * itself, with what a tenant's client is granted), `alice` (acme's administrator) and `bob` (a
   * plain acme user).
   */
  signInAsEveryone(): Promise<void> {
    return this.signIn({
      ops: { client: 'ops', secret: ADMIN_SECRET.OPS, fields: { grant_type: 'client_credentials' } },
      acmeService: { client: 'acme-cli', secret: ADMIN_SECRET.ACME, fields: { grant_type: 'client_credentials' } },
      alice: { client: 'acme-cli', secret: ADMIN_SECRET.ACME, fields: { grant_type: 'password', username: 'alice', password: ADMIN_PASSWORD } },
      bob: { client: 'acme-cli', secret: ADMIN_SECRET.ACME, fields: { grant_type: 'password', username: 'bob', password: ADMIN_PASSWORD } },
    });
  }

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
