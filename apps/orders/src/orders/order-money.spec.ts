import { DomainError } from '@gatehouse/contracts';
import { minorFromColumn, totalMinorOf } from './order-money';

describe('order totals', () => {
  it('sums quantity times unit price in integer minor units', () => {
    expect(
      totalMinorOf([
        { quantity: 2, unitPriceMinor: 1250 },
        { quantity: 3, unitPriceMinor: 0 },
        { quantity: 1, unitPriceMinor: 99 },
      ]),
    ).toBe(2599);
  });

  it('refuses a total beyond the safe integer range instead of rounding it', () => {
    const huge = { quantity: 1000, unitPriceMinor: Number.MAX_SAFE_INTEGER / 100 };
    expect(() => totalMinorOf([huge])).toThrow(DomainError);
  });

  it('reads bigint columns back, and refuses a stored amount a number cannot hold', () => {
    expect(minorFromColumn('2599')).toBe(2599);
    expect(() => minorFromColumn('9007199254740993')).toThrow();
  });
});
