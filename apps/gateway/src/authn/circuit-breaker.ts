/**
 * A circuit breaker around one dependency: `threshold` failures in a row open it for `openMs`,
 * during which nothing is asked; then one request at a time probes (half-open), and the first
 * success closes it again while a failure reopens it for another period.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private probing = false;

  constructor(
    private readonly threshold: number,
    private readonly openMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whether a call may go out now; a true answer while half-open makes this call the probe. */
  allows(): boolean {
    if (this.failures < this.threshold) return true;
    if (this.clock() < this.openUntil || this.probing) return false;
    this.probing = true;
    return true;
  }

  succeeded(): void {
    this.failures = 0;
    this.probing = false;
  }

  failed(): void {
    this.failures += 1;
    this.probing = false;
    if (this.failures >= this.threshold) this.openUntil = this.clock() + this.openMs;
  }

  /** Seconds until a probe may go out (at least 1), for Retry-After. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.openUntil - this.clock()) / 1000));
  }
}
