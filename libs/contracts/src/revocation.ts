/**
 * What one revocation event ends, matched by the gateway against a token's claims:
 * `jti` one access token; `sid` every token of a login or browser session (the refresh-token
 * family's `sid`, which its access tokens carry); `subject`, `client`, `tenant` every token of that
 * account, client or tenant issued at or before `before`.
 */
export const REVOCATION_KINDS = ['jti', 'sid', 'subject', 'client', 'tenant'] as const;
export type RevocationKind = (typeof REVOCATION_KINDS)[number];

/** One event of auth's revocation feed, as `GET /internal/revocations` and the push carry it. */
export interface RevocationEvent {
  /** Monotonic across the feed: a gateway that sees one it did not expect catches up. */
  seq: number;
  kind: RevocationKind;
  value: string;
  /** Seconds since the epoch: tokens issued (`iat`) at or before it are covered (watermark kinds). */
  before: number;
  /** Seconds since the epoch: after it, no token the event covers is valid anyway. */
  until: number;
}

/** A page of the feed: events after the asked sequence, and the last sequence the answer accounts for. */
export interface RevocationPage {
  events: RevocationEvent[];
  last: number;
  /** More events follow `last`: ask again right away. */
  more: boolean;
}

/** The pushed form: the event and the issuer whose feed it belongs to. */
export interface RevocationNotice extends RevocationEvent {
  iss: string;
}

/** The subject (NATS) or channel (Redis, under `REDIS_KEY_PREFIX`) every gateway instance listens on. */
export const REVOCATION_TOPIC = 'gatehouse.revocations';
