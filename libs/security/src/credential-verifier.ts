import type { Principal } from '@gatehouse/contracts';

/** The credential-carrying part of a request, whatever the transport. */
export interface CredentialSource {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Turns a request's credential into a principal, or throws a DomainError with the exact code
 * (`missing_token`, `invalid_token`, `token_expired`, ...). An app provides one under
 * `CREDENTIAL_VERIFIER`; without one, every non-public route is refused.
 */
export interface CredentialVerifier {
  verify(source: CredentialSource): Promise<Principal>;
}

export const CREDENTIAL_VERIFIER = Symbol('gatehouse:credential-verifier');
