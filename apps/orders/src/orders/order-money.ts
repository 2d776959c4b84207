import { DomainError } from '@gatehouse/contracts';

interface Line {
  quantity: number;
  unitPriceMinor: number;
}

/**
 * The order total in integer minor units. The input limits keep it far below 2^53 today; the
 * check keeps a later change of those limits from ever storing a rounded amount.
 */
export function totalMinorOf(lines: readonly Line[]): number {
  let total = 0;
  for (const line of lines) {
    total += line.quantity * line.unitPriceMinor;
    if (!Number.isSafeInteger(total))
      throw new DomainError('invalid_request', 'order total exceeds the safe integer range', {}, 'The order total is too large.');
  }
  return total;
}

/** A bigint column as a number: pg answers bigint as text, and amounts never exceed 2^53 when written. */
export function minorFromColumn(value: string): number {
  const amount = Number(value);
  if (!Number.isSafeInteger(amount)) throw new Error(`stored amount ${value} is not a safe integer`);
  return amount;
}
