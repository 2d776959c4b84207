import { OAuthError } from '@gatehouse/contracts';
import type { ClientEntity } from '../../clients/client.entity';
import type { TenantClientBounds } from '../../clients/tenant-client-reach';

/** The audience a client's tokens name and the scopes they may carry. */
export interface ClientReach {
  audience: string;
  scopes: string[];
}

/**
 * check-client-reach, at every grant: a platform client reaches what it was given. A tenant's
 * client reaches the API audience and, of its own scopes, the tenant scopes only. The Admin API
 * creates no other tenant client, but a row may still say otherwise (made before, or written
 * another way), and such a row must not become a service token: a foreign audience is refused,
 * scopes beyond the tenant's are never granted (asked for, they are `invalid_scope`).
 */
export function checkClientReach(client: ClientEntity, bounds: TenantClientBounds): ClientReach {
  if (client.tenantId === null) return { audience: client.audience ?? bounds.API_AUDIENCE, scopes: client.scopes };
  if (client.audience !== null && client.audience !== bounds.API_AUDIENCE) {
    throw new OAuthError('unauthorized_client', 'This client may not obtain tokens for its audience.', `tenant client ${client.id} names audience ${client.audience}`);
  }
  return { audience: bounds.API_AUDIENCE, scopes: client.scopes.filter((scope) => bounds.tenantClientScopes.includes(scope)) };
}
