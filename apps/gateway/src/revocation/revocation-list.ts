import type { Principal, RevocationEvent, RevocationKind } from '@gatehouse/contracts';

interface Watermark {
  /** Tokens issued at or before it (seconds) are revoked. */
  before: number;
  /** Seconds: the entry is kept until then. */
  until: number;
}

/**
 * What auth revoked, held in memory for the request path: a hash lookup per kind, no I/O, no
 * allocation. An entry lives until every token it covers has expired (plus the clock leeway the
 * verifier grants), so the list is only ever as large as the set of live revoked tokens. A token
 * without `iat` counts as issued before any watermark.
 */
export class RevocationList {
  private readonly jtis = new Map<string, number>();
  private readonly sids = new Map<string, number>();
  private readonly subjects = new Map<string, Watermark>();
  private readonly clients = new Map<string, Watermark>();
  private readonly tenants = new Map<string, Watermark>();

  constructor(private readonly leewaySeconds: number) {}

  apply(event: RevocationEvent): void {
    const until = event.until + this.leewaySeconds;
    switch (event.kind) {
      case 'jti':
        return later(this.jtis, event.value, until);
      case 'sid':
        return later(this.sids, event.value, until);
      case 'subject':
        return raise(this.subjects, event.value, event.before, until);
      case 'client':
        return raise(this.clients, event.value, event.before, until);
      case 'tenant':
        return raise(this.tenants, event.value, event.before, until);
    }
  }

  /** The kind of entry that revokes this principal's credential, if any. */
  revoking(principal: Principal): RevocationKind | undefined {
    if (this.jtis.has(principal.tokenId)) return 'jti';
    if (principal.sessionId !== undefined && this.sids.has(principal.sessionId)) return 'sid';
    const issuedAt = principal.issuedAt ?? 0;
    if (covers(this.subjects.get(principal.subject), issuedAt)) return 'subject';
    if (covers(this.clients.get(principal.clientId), issuedAt)) return 'client';
    if (principal.tenantId !== undefined && covers(this.tenants.get(principal.tenantId), issuedAt)) return 'tenant';
    return undefined;
  }

  /** Drops the entries whose tokens have all expired by `nowSeconds`. */
  prune(nowSeconds: number): void {
    for (const map of [this.jtis, this.sids]) for (const [key, until] of map) if (until <= nowSeconds) map.delete(key);
    for (const map of [this.subjects, this.clients, this.tenants]) for (const [key, mark] of map) if (mark.until <= nowSeconds) map.delete(key);
  }

  get size(): number {
    return this.jtis.size + this.sids.size + this.subjects.size + this.clients.size + this.tenants.size;
  }
}

function covers(mark: Watermark | undefined, issuedAt: number): boolean {
  return mark !== undefined && issuedAt <= mark.before;
}

function later(map: Map<string, number>, key: string, until: number): void {
  map.set(key, Math.max(map.get(key) ?? 0, until));
}

function raise(map: Map<string, Watermark>, key: string, before: number, until: number): void {
  const mark = map.get(key);
  map.set(key, { before: Math.max(mark?.before ?? 0, before), until: Math.max(mark?.until ?? 0, until) });
}
