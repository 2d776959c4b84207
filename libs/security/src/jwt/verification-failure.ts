import { DomainError } from '@gatehouse/contracts';

/**
 * The one mapping from a verification failure to the platform's error contract: our own checks
 * and the key lookup raise DomainErrors; anything else (a key fetch that broke) is `invalid_token`.
 */
export function verificationFailure(failure: unknown): DomainError {
  if (failure instanceof DomainError) return failure;
  return new DomainError('invalid_token', failure instanceof Error ? failure.message : 'verification failed');
}
