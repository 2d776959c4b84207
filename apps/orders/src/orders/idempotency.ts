import { createHash } from 'node:crypto';
import { DomainError } from '@gatehouse/contracts';
import type { CreateOrderDto } from './order.dto';

/** 1 to 200 visible ASCII characters: no spaces or controls that a proxy might rewrite. */
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,200}$/;

export interface Idempotency {
  key: string;
  /** SHA-256 of the request: the same key with another request is refused, never replayed. */
  fingerprint: string;
}

/**
 * The validated request, not its bytes, is what a retry must repeat: the same order written with
 * other whitespace or key order is the same request.
 */
export function fingerprintOf(input: CreateOrderDto): string {
  const canonical = [input.currency, input.items.map((item) => [item.sku, item.quantity, item.unitPriceMinor])];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** The request's idempotency, when it sent an `Idempotency-Key` header; a malformed key is refused. */
export function idempotencyOf(header: string | undefined, input: CreateOrderDto): Idempotency | null {
  if (header === undefined) return null;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new DomainError('invalid_request', 'malformed Idempotency-Key', {}, 'Idempotency-Key must be 1 to 200 visible ASCII characters.');
  }
  return { key: header, fingerprint: fingerprintOf(input) };
}
