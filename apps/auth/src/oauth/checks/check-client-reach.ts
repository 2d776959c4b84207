import { OAuthError } from '@gatehouse/contracts';
import type { ClientEntity } from '../../clients/client.entity';

/** The audience a client's tokens name and the scopes they may carry. */
export interface ClientReach {
  audience: string;
  scopes: string[];
}

/**
 * The audience of a client's tokens. A tenant's client names the API audience or nothing: the
 * Admin API creates no other, but a row may still say otherwise (made before, or written another
 * way), and such a row must not become a service token.
 */
export function checkClientAudience(client: ClientEntity, apiAudience: string): string {
  if (client.tenantId === null || client.audience === null) return client.audience ?? apiAudience;
  if (client.audience !== apiAudience) {
    throw new OAuthError(
      'unauthorized_client',
      'This client may not obtain tokens for its audience.',
      `tenant client ${client.id} names audience ${client.audience}`,
    );
  }
  return apiAudience;
}

/**
 * check-client-reach, at every grant: a platform client reaches what it was given; a tenant's
 * client the API audience and, of its own scopes, those its tenant allows (`tenantScopes`), so a
 * scope beyond them is never granted (asked for, it is `invalid_scope`).
 */
export function checkClientReach(client: ClientEntity, apiAudience: string, tenantScopes: readonly string[]): ClientReach {
  const audience = checkClientAudience(client, apiAudience);
  if (client.tenantId === null) return { audience, scopes: client.scopes };
  return { audience, scopes: client.scopes.filter((scope) => tenantScopes.includes(scope)) };
}
