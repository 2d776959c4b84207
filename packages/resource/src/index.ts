// The public surface of @gatehouse/resource: the platform's resource-service library as a team's
// own Nest service uses it, with the contract types its handlers and tests see.
export * from '@gatehouse/security';
export { DomainError, ERROR_MESSAGE, ERROR_STATUS, HEADER, principalFromClaims } from '@gatehouse/contracts';
export type { AccessTokenClaims, ErrorBody, ErrorCode, Principal } from '@gatehouse/contracts';
