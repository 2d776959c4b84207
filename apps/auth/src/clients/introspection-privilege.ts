import type { ClientEntity } from './client.entity';

/**
 * Whether a client may learn about any token, read the tenant registry and introspect sessions:
 * the gateway's and resource servers' privilege. A tenant's client never holds it, whatever its
 * row says (the Admin API refuses to give it one, a bootstrap file might not): it would let one
 * tenant read every other tenant's tokens.
 */
export function mayIntrospectAny(client: ClientEntity): boolean {
  return client.introspect && client.tenantId === null;
}
