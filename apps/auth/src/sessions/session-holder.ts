import { Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import type { CredentialSource } from '@gatehouse/security';
import { AccessTokenVerifier } from '../tokens/access-token.verifier';
import type { SessionsOwner } from './account-sessions.service';
import { Sessions } from './sessions.service';

/** The person a request speaks for, and the session it comes through, if any. */
export interface SessionHolder extends SessionsOwner {
  currentId?: string;
  /** Whether the session cookie authenticated the request (then the answer may clear it). */
  viaCookie: boolean;
}

/**
 * Authenticates a person's own session routes as `/auth/logout` does: a bearer access token of a
 * user (checked first whenever one is sent, so a refused one is never passed over), else the
 * session cookie of a live session. A client's own token speaks for no person: forbidden.
 */
@Injectable()
export class SessionHolders {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly sessions: Sessions,
  ) {}

  async identify(headers: CredentialSource['headers']): Promise<SessionHolder> {
    const secrets = this.sessions.secretsIn(headers.cookie);
    if (headers.authorization !== undefined || secrets.length === 0) {
      const principal = await this.verifier.verify({ headers });
      if (principal.kind !== 'user' || !principal.tenantId) throw new DomainError('forbidden', `${principal.subject} is no person`);
      return { tenantId: principal.tenantId, accountId: principal.subject, currentId: principal.sessionId, viaCookie: false };
    }
    for (const secret of secrets) {
      const live = await this.sessions.resume(secret);
      if (live) return { tenantId: live.session.tenantId, accountId: live.account.id, currentId: live.session.id, viaCookie: true };
    }
    throw new DomainError('session_expired', 'the session cookie names no live session');
  }
}
