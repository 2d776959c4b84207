import { Injectable } from '@nestjs/common';
import { DomainError, type Principal, principalFromClaims } from '@gatehouse/contracts';
import type { CredentialSource, CredentialVerifier } from '@gatehouse/security';
import { AccessTokenReader } from './access-token.reader';

const REASON_CODE = {
  malformed: 'invalid_token',
  invalid: 'invalid_token',
  revoked: 'invalid_token',
  expired: 'token_expired',
  unknown_key: 'unknown_signing_key',
} as const;

/** Authenticates the auth app's own protected routes (`/auth/me`, `/auth/logout`) with its tokens. */
@Injectable()
export class AccessTokenVerifier implements CredentialVerifier {
  constructor(private readonly reader: AccessTokenReader) {}

  async verify({ headers }: CredentialSource): Promise<Principal> {
    const header = headers.authorization;
    if (header === undefined) throw new DomainError('missing_token', 'no Authorization header');
    if (Array.isArray(header)) throw new DomainError('invalid_request', 'several Authorization headers');
    const [scheme, token, extra] = header.trim().split(/\s+/);
    if (scheme?.toLowerCase() !== 'bearer' || !token || extra !== undefined) {
      throw new DomainError('invalid_token', 'Authorization is not a single Bearer token');
    }
    const read = await this.reader.read(token);
    if (!read.valid) throw new DomainError(REASON_CODE[read.reason], `access token ${read.reason}`);
    return principalFromClaims(read.claims);
  }
}
