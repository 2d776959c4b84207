import { ACR_MFA, ACR_PASSWORD, OAuthError } from '@gatehouse/contracts';
import type { ClientEntity } from '../clients/client.entity';
import { matchRedirectUri } from '../oauth/checks/check-redirect-uri';
import { isS256Challenge } from '../oauth/checks/check-pkce';
import { checkScope } from '../oauth/checks/check-scope';

/** The parameters `/oauth/authorize` reads; anything else is ignored (RFC 6749 section 3.1). */
const PARAMETERS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'prompt',
  'max_age',
  'login_hint',
  'tenant',
  'acr_values',
] as const;
type Parameter = (typeof PARAMETERS)[number];
export type AuthorizationParameters = Partial<Record<Parameter, string>>;

const PROMPTS = ['none', 'login', 'consent'] as const;
export type Prompt = (typeof PROMPTS)[number];

/** A request whose client and redirect URI are verified: from here on, errors go back to the client. */
export interface AuthorizationRequest {
  client: ClientEntity;
  redirectUri: string;
  scope: string;
  state?: string;
  nonce?: string;
  codeChallenge: string;
  prompts: Prompt[];
  maxAge?: number;
  loginHint?: string;
  /**
   * `acr_values` asks for a second factor (OpenID Connect Core section 3.1.2.1, RFC 9470): the
   * session must have one, or the person signs in again and gives (or enrols) one.
   */
  requireMfa: boolean;
  /**
   * The tenant whose people sign in: the client's own; for a platform client, the one the request
   * names (`tenant`), else the one its host names (`<tenant>.<TENANT_BASE_HOST>`).
   */
  tenantId?: string;
  /** Where `tenantId` came from; the login page asks for it unless the client or the host fixed it. */
  tenantSource?: 'client' | 'parameter' | 'host';
  /** The parameters as received, carried through the login and consent forms. */
  parameters: AuthorizationParameters;
}

/**
 * The known parameters of a query or form, each once and at most 2000 characters, none holding
 * U+0000. A repeated parameter is refused (RFC 6749 section 3.1), before anything is trusted.
 */
export function readParameters(source: Record<string, unknown>): AuthorizationParameters {
  const parameters: AuthorizationParameters = {};
  for (const name of PARAMETERS) {
    const value = source[name];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') throw new OAuthError('invalid_request', `The parameter ${name} must be given once.`);
    if (value.length > 2000 || value.includes('\u0000')) throw new OAuthError('invalid_request', `The parameter ${name} is malformed.`);
    parameters[name] = value;
  }
  return parameters;
}

export interface ClientSource {
  find(id: string): Promise<ClientEntity | null>;
}

/**
 * The client and the redirect URI, verified before anything may be sent to that URI: until both
 * hold, an error is shown on a page and never redirected (RFC 6749 section 4.1.2.1), or the
 * endpoint would redirect wherever an attacker asked.
 */
export async function verifyClientAndRedirect(
  parameters: AuthorizationParameters,
  clients: ClientSource,
): Promise<{ client: ClientEntity; redirectUri: string }> {
  if (!parameters.client_id) throw new OAuthError('invalid_request', 'client_id is required.');
  const client = await clients.find(parameters.client_id);
  if (!client || client.status !== 'active')
    throw new OAuthError('invalid_client', 'The client is unknown or disabled.', `client ${parameters.client_id.slice(0, 128)}`);
  if (!parameters.redirect_uri) throw new OAuthError('invalid_request', 'redirect_uri is required.');
  const redirectUri = matchRedirectUri(client.redirectUris, parameters.redirect_uri);
  if (!redirectUri)
    throw new OAuthError(
      'invalid_request',
      'The redirect_uri is not registered for this client.',
      `client ${client.id}: ${parameters.redirect_uri.slice(0, 200)}`,
    );
  return { client, redirectUri };
}

function parsePrompt(prompt: string | undefined): Prompt[] {
  const values = (prompt ?? '').split(' ').filter(Boolean);
  const unknown = values.filter((value) => !(PROMPTS as readonly string[]).includes(value));
  if (unknown.length > 0) throw new OAuthError('invalid_request', `Unsupported prompt: ${unknown.join(' ').slice(0, 64)}.`);
  if (values.includes('none') && values.length > 1) throw new OAuthError('invalid_request', 'prompt=none cannot be combined with another prompt.');
  return values as Prompt[];
}

/** Only the MFA class is asked for: a list also naming the password class is satisfied by either. */
function asksForMfa(acrValues: string | undefined): boolean {
  const values = (acrValues ?? '').split(' ').filter(Boolean);
  return values.includes(ACR_MFA) && !values.includes(ACR_PASSWORD);
}

function parseMaxAge(maxAge: string | undefined): number | undefined {
  if (maxAge === undefined) return undefined;
  if (!/^\d{1,9}$/.test(maxAge)) throw new OAuthError('invalid_request', 'max_age must be a number of seconds.');
  return Number(maxAge);
}

/**
 * The rest of the request, once client and redirect URI hold; every refusal here is redirected.
 * `grantable` is what this client may be granted (its reach, and the OpenID Connect scopes).
 */
export function checkAuthorizationRequest(
  verified: { client: ClientEntity; redirectUri: string },
  parameters: AuthorizationParameters,
  grantable: readonly string[],
  hostTenant?: string,
): AuthorizationRequest {
  const { client } = verified;
  if (!parameters.response_type) throw new OAuthError('invalid_request', 'response_type is required.');
  if (parameters.response_type !== 'code') throw new OAuthError('unsupported_response_type', 'Only response_type=code is supported.');
  if (!client.grantTypes.includes('authorization_code')) throw new OAuthError('unauthorized_client', 'This client may not use the authorization code grant.');
  if (!parameters.code_challenge) throw new OAuthError('invalid_request', 'code_challenge is required (PKCE).');
  if (parameters.code_challenge_method !== 'S256') throw new OAuthError('invalid_request', 'code_challenge_method must be S256.');
  if (!isS256Challenge(parameters.code_challenge)) throw new OAuthError('invalid_request', 'code_challenge is malformed.');
  const tenantSource = client.tenantId ? 'client' : parameters.tenant ? 'parameter' : hostTenant ? 'host' : undefined;
  const tenantId = client.tenantId ?? parameters.tenant ?? hostTenant;
  if (client.tenantId && parameters.tenant && parameters.tenant !== client.tenantId)
    throw new OAuthError('invalid_request', 'tenant does not match the client.');
  if (tenantId !== undefined && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(tenantId)) throw new OAuthError('invalid_request', 'tenant is malformed.');
  return {
    ...verified,
    scope: checkScope(parameters.scope, grantable),
    state: parameters.state,
    nonce: parameters.nonce,
    codeChallenge: parameters.code_challenge,
    prompts: parsePrompt(parameters.prompt),
    maxAge: parseMaxAge(parameters.max_age),
    loginHint: parameters.login_hint,
    requireMfa: asksForMfa(parameters.acr_values),
    tenantId,
    tenantSource,
    parameters,
  };
}

/** Where an outcome goes back to: the verified redirect URI with `iss` (RFC 9207) and `state` added. */
export function redirectTo(request: { redirectUri: string; state?: string }, issuer: string, fields: Record<string, string>): string {
  const url = new URL(request.redirectUri);
  for (const [name, value] of Object.entries(fields)) url.searchParams.set(name, value);
  if (request.state !== undefined) url.searchParams.set('state', request.state);
  url.searchParams.set('iss', issuer);
  return url.toString();
}
