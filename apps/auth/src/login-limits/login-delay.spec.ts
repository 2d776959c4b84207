import { pairDelayMs, retryAfterSeconds } from './login-delay';

describe('pairDelayMs', () => {
  const schedule = { threshold: 5, baseMs: 1000, maxMs: 300_000 };

  it('adds no delay below the threshold', () => {
    expect([1, 2, 3, 4].map((failures) => pairDelayMs(failures, schedule))).toEqual([0, 0, 0, 0]);
  });

  it('starts at the base on the threshold and doubles with each further failure', () => {
    expect([5, 6, 7, 8, 9].map((failures) => pairDelayMs(failures, schedule))).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it('stops growing at the maximum, however many failures follow', () => {
    expect(pairDelayMs(13, schedule)).toBe(256_000);
    expect(pairDelayMs(14, schedule)).toBe(300_000);
    expect(pairDelayMs(10_000, schedule)).toBe(300_000);
  });
});

describe('retryAfterSeconds', () => {
  it('rounds up to whole seconds, at least one', () => {
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1000)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
    expect(retryAfterSeconds(0)).toBe(1);
  });
});
