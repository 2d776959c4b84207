/** Scopes of the users service's messages, granted to platform services for their calls. */
export const USERS_SCOPE = {
  read: 'users:read',
  provision: 'users:provision',
} as const;

/**
 * Scopes no tenant's client may ever hold, whatever the settings say: a service's message scopes
 * would let one tenant read every tenant's data, `admin` runs the platform, `introspect` reads any
 * token. Only platform clients (no tenant) are granted them, by platform administrators.
 */
export const PLATFORM_ONLY_SCOPES: readonly string[] = [USERS_SCOPE.read, USERS_SCOPE.provision, 'admin', 'introspect'];
