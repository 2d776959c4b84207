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

function decodeBasic(header: string): Presented {
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() !== 'basic' || !value) {
    throw new OAuthError('invalid_client', 'Client authentication failed.', 'Authorization is not Basic', BASIC_CHALLENGE);
  }
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError('invalid_client', 'Client authentication failed.', 'Basic without a colon', BASIC_CHALLENGE);
  try {
    // Section 2.3.1: id and secret are form-urlencoded before they are joined.
    const id = decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' '));
    const secret = decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' '));
    return { method: 'basic', id, secret };
  } catch {
    throw new OAuthError('invalid_client', 'Client authentication failed.', 'Basic credentials not urlencoded', BASIC_CHALLENGE);
  }
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
