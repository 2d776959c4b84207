import type { KeyObject } from 'node:crypto';

/** The JWS algorithms Gatehouse signs with; no other algorithm is ever accepted. */
export const JWS_ALGS = ['RS256', 'ES256', 'EdDSA'] as const;
export type JwsAlg = (typeof JWS_ALGS)[number];

/**
 * One verification key, imported once when its set is fetched and shared by every request.
 * `issuer` is the issuer whose JWKS published it: a verifier may assert it equals the token's `iss`.
 * The verifier must also check that the token header's `alg` equals `alg` (never trust the header).
 */
export interface JwksKey {
  readonly issuer: string;
  readonly kid: string;
  readonly alg: JwsAlg;
  readonly key: KeyObject;
}

export type UnknownKidRefetch = 'cooldown' | 'on-demand';

/** Same contract as the global `fetch`; injectable so tests can count or wrap calls. */
export type JwksFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Runs `callback` once after `delayMs`; returns a function that cancels it. */
export type JwksScheduler = (callback: () => void, delayMs: number) => () => void;

export interface JwksCacheOptions {
  /** The exact `iss` value of the tokens these keys verify (compared as a plain string). */
  issuer: string;
  /** http(s) URL of the key set; it is fetched with redirects refused. */
  jwksUri: string;
  allowedAlgs: readonly JwsAlg[];
  /** How long a fetched set counts as fresh. Default 5 minutes. */
  ttlMs?: number;
  /** Fraction of the TTL after which a background refresh starts. Default 0.75. */
  refreshAheadRatio?: number;
  /**
   * What an unknown `kid` does. `cooldown` (default, for external issuers): at most one refetch
   * per `unknownKidCooldownMs`, and a kid met during the cooldown is refused at once. `on-demand`
   * (for a trusted internal issuer, whose new keys must never cost a blackout): the kid waits for
   * the next refetch, still one at a time and at most one per (a short) cooldown.
   */
  unknownKidRefetch?: UnknownKidRefetch;
  /** Least time between two unknown-kid refetches (per issuer). Default 30 s, or 1 s `on-demand`. */
  unknownKidCooldownMs?: number;
  /** How long past its TTL the last good set keeps serving while refreshes fail. Default 1 hour. */
  maxStaleMs?: number;
  /** Bound on one fetch, connection to last byte. Default 2 s. */
  fetchTimeoutMs?: number;
  /** Largest accepted body, counted after content decoding. Default 64 KiB. */
  maxBytes?: number;
  /** Wait after a failed fetch before the next attempt (also the Retry-After hint). Default 5 s. */
  failureBackoffMs?: number;
  fetch?: JwksFetch;
  /** Milliseconds since the epoch; injectable so tests can move time without sleeping. */
  clock?: () => number;
  /** Timer for the background refresh; the default is an unref'd `setTimeout`. */
  schedule?: JwksScheduler;
}

/** Plain numbers for `/health/ready` and metrics; no dependency on a metrics library. */
export interface JwksStatus {
  issuer: string;
  /** Keys currently served (0 when none is usable). */
  keys: number;
  lastSuccessAt?: number;
  lastAttemptAt?: number;
  lastError?: string;
  /** Past the TTL: refreshes are failing and the last good set is being served. */
  stale: boolean;
  /** Whether `getKey` can answer from memory at all; readiness should follow this. */
  usable: boolean;
  /** Keys of the last good set that were skipped as unusable, and why (at most 10 reasons). */
  skippedKeys: number;
  skippedReasons: readonly string[];
  fetches: number;
  failures: number;
  unknownKidRefetches: number;
}
