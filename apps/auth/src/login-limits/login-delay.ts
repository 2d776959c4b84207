/** When the delays of one address on one account start, and how they grow. */
export interface DelaySchedule {
  /** Failures before the first delay. */
  threshold: number;
  baseMs: number;
  maxMs: number;
}

// 2^30 times any base is already past any sensible maximum; stops the power from overflowing.
const MAX_DOUBLINGS = 30;

/**
 * Milliseconds a pair (address and account) must wait after its `failures`-th failure: none
 * below the threshold, the base at the threshold, then doubling with each failure up to the maximum.
 */
export function pairDelayMs(failures: number, schedule: DelaySchedule): number {
  if (failures < schedule.threshold) return 0;
  const doublings = Math.min(failures - schedule.threshold, MAX_DOUBLINGS);
  return Math.min(schedule.maxMs, schedule.baseMs * 2 ** doublings);
}

/** `Retry-After` (RFC 9110 section 10.2.3) is whole seconds: round up, so a retry is never early. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
