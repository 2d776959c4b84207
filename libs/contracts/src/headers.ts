/** Header names of the platform's wire contract. Lower case, as Node sees them. */
export const HEADER = {
  requestId: 'x-request-id',
  correlationId: 'x-correlation-id',
  tenantId: 'x-tenant-id',
  userId: 'x-user-id',
  userEmail: 'x-user-email',
  userName: 'x-user-name',
  userRoles: 'x-user-roles',
  clientId: 'x-client-id',
  tokenScopes: 'x-token-scopes',
  subjectType: 'x-subject-type',
  idempotencyKey: 'idempotency-key',
} as const;

/** Incoming headers with these prefixes claim an identity; the gateway strips them all. */
export const IDENTITY_HEADER_PREFIXES = ['x-user-', 'x-tenant-', 'x-client-', 'x-token-', 'x-subject-', 'x-internal-', 'x-authenticated-'] as const;

export const IDENTITY_HEADER_NAMES = ['x-forwarded-user'] as const;
