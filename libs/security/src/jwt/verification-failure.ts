import { DomainError } from '@gatehouse/contracts';

/**
 * The one mapping from what passport-jwt reports (a jsonwebtoken error, or a DomainError raised by
 * our own checks and the key lookup) to the platform's error contract.
 */
export function verificationFailure(failure: unknown): DomainError {
  if (failure instanceof DomainError) return failure;
  if (!(failure instanceof Error)) return new DomainError('invalid_token', 'verification failed');
  switch (failure.name) {
    case 'TokenExpiredError':
      return new DomainError('token_expired', failure.message);
    case 'NotBeforeError':
      return new DomainError('invalid_claims', failure.message);
    case 'JsonWebTokenError':
      return new DomainError(/audience|issuer/.test(failure.message) ? 'invalid_claims' : 'invalid_token', failure.message);
    default:
      return new DomainError('invalid_token', failure.message);
  }
}
