import { DomainError } from '@gatehouse/contracts';
import { fingerprintOf, idempotencyOf } from './idempotency';
import type { CreateOrderDto } from './order.dto';

const order = (currency: string, ...items: [string, number, number][]): CreateOrderDto => ({
  currency,
  items: items.map(([sku, quantity, unitPriceMinor]) => ({ sku, quantity, unitPriceMinor })),
});

describe('idempotency', () => {
  it('fingerprints the request, not the object it came in', () => {
    expect(fingerprintOf(order('EUR', ['A-1', 2, 1250]))).toBe(fingerprintOf(order('EUR', ['A-1', 2, 1250])));
    expect(fingerprintOf(order('EUR', ['A-1', 2, 1250]))).not.toBe(fingerprintOf(order('USD', ['A-1', 2, 1250])));
    expect(fingerprintOf(order('EUR', ['A-1', 2, 1250], ['B', 1, 1]))).not.toBe(fingerprintOf(order('EUR', ['B', 1, 1], ['A-1', 2, 1250])));
  });

  it('takes a key of 1 to 200 visible ASCII characters, and no header as no idempotency', () => {
    const input = order('EUR', ['A-1', 1, 1]);
    expect(idempotencyOf(undefined, input)).toBeNull();
    expect(idempotencyOf('k'.repeat(200), input)?.key).toHaveLength(200);
    for (const bad of ['', 'k'.repeat(201), 'a b', 'tab\there', 'caf\u00e9']) expect(() => idempotencyOf(bad, input)).toThrow(DomainError);
  });
});
