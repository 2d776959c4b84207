import { Injectable } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import { FailoverAttemptStore } from '@gatehouse/throttling';
import { AuditTrail } from '../audit/audit.service';
import { AuthSettings } from '../auth.settings';
import type { ClientEntity } from '../clients/client.entity';
import { mayIntrospectAny } from '../clients/introspection-privilege';
import { retryAfterSeconds } from '../login-limits/login-delay';

/**
 * RFC 7662 section 4: a client fishing for valid tokens gets mostly inactive answers, so a client
 * may receive `INTROSPECTION_INACTIVE_LIMIT` of them per `INTROSPECTION_INACTIVE_WINDOW`, then is
 * held until the window ends, whatever addresses it calls from: the gateway's per-address limit
 * sees neither a client spread over many addresses nor one calling auth directly.
 *
 * Platform clients marked `introspect` (the gateway, resource servers) are not counted: they ask about everyone's tokens, so a burst of expired ones would
 * otherwise hold the gateway and refuse every user behind it.
 */
@Injectable()
export class IntrospectionLimits {
  constructor(
    private readonly settings: AuthSettings,
    private readonly store: FailoverAttemptStore,
    private readonly audit: AuditTrail,
  ) {}

  /** Refuses a held client with 429 before its token is looked at. */
  async admit(client: ClientEntity): Promise<void> {
    if (mayIntrospectAny(client)) return;
    const [heldMs] = await this.store.blockedFor([heldKey(client.id)]);
    if (heldMs > 0) {
      const seconds = retryAfterSeconds(heldMs);
      throw new DomainError('rate_limited', `introspection by ${client.id} held; retry after ${seconds}s`, { 'retry-after': String(seconds) });
    }
  }

  /** Counts an inactive answer; the one that reaches the limit holds the client for the rest of the window. */
  async answeredInactive(client: ClientEntity): Promise<void> {
    if (mayIntrospectAny(client)) return;
    const limit = this.settings.INTROSPECTION_INACTIVE_LIMIT;
    const [inactive] = await this.store.hit([{ key: countKey(client.id), windowMs: this.settings.INTROSPECTION_INACTIVE_WINDOW * 1000 }]);
    if (inactive.count < limit) return;
    await this.store.block(heldKey(client.id), inactive.resetInMs);
    if (inactive.count === limit) {
      await this.audit.record({
        type: 'introspection.held',
        outcome: 'failure',
        tenantId: client.tenantId ?? undefined,
        clientId: client.id,
        details: { inactiveAnswers: inactive.count, windowSeconds: this.settings.INTROSPECTION_INACTIVE_WINDOW },
      });
    }
  }
}

const countKey = (clientId: string) => `introspect:inactive:${encodeURIComponent(clientId)}`;
const heldKey = (clientId: string) => `introspect:held:${encodeURIComponent(clientId)}`;
