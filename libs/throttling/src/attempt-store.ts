/** One counter an attempt is added to. */
export interface AttemptWindow {
  key: string;
  /** Milliseconds the counter is remembered. */
  windowMs: number;
  /**
   * false (default): the window runs from the counter's first hit, a fixed budget per period.
   * true: every hit restarts it, so the counter is forgotten only after a quiet spell.
   */
  sliding?: boolean;
}

export interface AttemptCount {
  count: number;
  /** Milliseconds until the counter is forgotten. */
  resetInMs: number;
}

/**
 * Counters and blocks for attempts (logins, say), keyed by the caller. Every operation takes
 * several keys at once, so the Redis implementation answers in one round trip.
 */
export interface AttemptStore {
  /** Adds one to each counter; answers their counts in the same order. */
  hit(windows: readonly AttemptWindow[]): Promise<AttemptCount[]>;
  /** Milliseconds each block still lasts, 0 where there is none, in the order of `keys`. */
  blockedFor(keys: readonly string[]): Promise<number[]>;
  /** Blocks `key` for `ms`, never shortening a block that already lasts longer. */
  block(key: string, ms: number): Promise<void>;
  /** Forgets counters and blocks. */
  clear(keys: readonly string[]): Promise<void>;
}
