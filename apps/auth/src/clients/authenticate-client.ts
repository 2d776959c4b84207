import { unstorableIn } from '@gatehouse/app-kit';
import { OAuthError } from '@gatehouse/contracts';
import { clientSecretMatches } from './client-secret';
import type { ClientEntity } from './client.entity';

/**
 * check-client-auth: RFC 6749 section 2.3. Exactly one method: `client_secret_basic` (the
 * Authorization header) or `client_secret_post` (form fields); a public client sends only its
 * `client_id`. Every failure is `invalid_client`, with a Basic challenge when Basic was tried.
 */
export interface ClientCredentials {
  authorization?: string;
  clientId?: string;
  clientSecret?: string;
}

interface Presented {
  method: 'basic' | 'post' | 'none';
  id: string;
  secret?: string;
}

const BASIC_CHALLENGE = { 'www-authenticate': 'Basic realm="gatehouse", charset="UTF-8"' };
// RFC 7617 section 2: token68, padded base64. Node's decoder skips what is not base64 instead.
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeBasic(header: string): Presented {
  const [scheme, value] = header.trim().split(/\s+/, 2);
  const refuse = (reason: string) => new OAuthError('invalid_client', 'Client authentication failed.', reason, BASIC_CHALLENGE);
  if (scheme?.toLowerCase() !== 'basic' || !value) throw refuse('Authorization is not Basic');
  if (!BASE64.test(value)) throw refuse('Basic value is not base64');
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw refuse('Basic without a colon');
  let id: string;
  let secret: string;
  try {
    // Section 2.3.1: id and secret are form-urlencoded before they are joined.
    id = decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' '));
    secret = decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' '));
  } catch {
    throw refuse('Basic credentials not urlencoded');
  }
  // No client id or secret holds such text: refused here, not by the database as a 500.
  const unstorable = unstorableIn(id) ?? unstorableIn(secret);
  if (unstorable) throw refuse(`Basic credentials hold ${unstorable}`);
  return { method: 'basic', id, secret };
}

function presented({ authorization, clientId, clientSecret }: ClientCredentials): Presented {
  if (authorization) {
    if (clientSecret !== undefined) {
      throw new OAuthError('invalid_request', 'Use exactly one client authentication method.', 'Basic and client_secret both sent');
    }
    const basic = decodeBasic(authorization);
    if (clientId !== undefined && clientId !== basic.id) {
      throw new OAuthError('invalid_request', 'client_id does not match the authenticated client.');
    }
    return basic;
  }
  if (!clientId) throw new OAuthError('invalid_client', 'Client authentication failed.', 'no client credentials');
  return clientSecret === undefined ? { method: 'none', id: clientId } : { method: 'post', id: clientId, secret: clientSecret };
}

/** Where clients are read from (ClientLookup: the database, behind a short-lived cache). */
export interface ClientSource {
  find(id: string): Promise<ClientEntity | null>;
}

export async function authenticateClient(clients: ClientSource, credentials: ClientCredentials): Promise<ClientEntity> {
  const claim = presented(credentials);
  const headers = claim.method === 'basic' ? BASIC_CHALLENGE : {};
  const refuse = (reason: string) => new OAuthError('invalid_client', 'Client authentication failed.', reason, headers);
  const client = await clients.find(claim.id);
  if (!client || client.status !== 'active') throw refuse(`client ${claim.id} unknown or disabled`);
  if (client.secretHash === null) {
    if (claim.method !== 'none') throw refuse('public client sent a secret');
    return client;
  }
  if (claim.secret === undefined || !clientSecretMatches(claim.secret, client.secretHash)) throw refuse('wrong client secret');
  return client;
}
