import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('stays closed below the threshold, a success resetting the count', () => {
    const breaker = new CircuitBreaker(3, 5000, clock);
    breaker.failed();
    breaker.failed();
    breaker.succeeded();
    breaker.failed();
    breaker.failed();
    expect(breaker.allows()).toBe(true);
  });

  it('opens at the threshold for the open period, then lets exactly one probe out', () => {
    const breaker = new CircuitBreaker(2, 5000, clock);
    breaker.failed();
    breaker.failed();
    expect(breaker.allows()).toBe(false);
    expect(breaker.retryAfterSeconds()).toBe(5);
    now += 5000;
    expect(breaker.allows()).toBe(true);
    expect(breaker.allows()).toBe(false);
  });

  it('a failed probe reopens it for another period; a successful one closes it', () => {
    const breaker = new CircuitBreaker(1, 1000, clock);
    breaker.failed();
    now += 1000;
    expect(breaker.allows()).toBe(true);
    breaker.failed();
    expect(breaker.allows()).toBe(false);
    now += 1000;
    expect(breaker.allows()).toBe(true);
    breaker.succeeded();
    expect(breaker.allows()).toBe(true);
    expect(breaker.allows()).toBe(true);
  });
});
