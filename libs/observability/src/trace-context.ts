import { randomBytes } from 'node:crypto';

/** The W3C Trace Context header (https://www.w3.org/TR/trace-context/). */
export const TRACEPARENT = 'traceparent';

export interface TraceParent {
  /** 32 lower-case hex digits, never all zeros. */
  traceId: string;
  /** 16 lower-case hex digits: the caller's span, never all zeros. */
  parentId: string;
  /** 2 hex digits; bit 0 is `sampled`. */
  flags: string;
}

// Version 00 exactly; a later version may append fields after the flags (section 3.2.4.1).
const TRACEPARENT_PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** A valid `traceparent`, or undefined: anything malformed is ignored, never an error. */
export function parseTraceparent(header: unknown): TraceParent | undefined {
  if (typeof header !== 'string' || header.length > 512) return undefined;
  const match = TRACEPARENT_PATTERN.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || parentId === ZERO_SPAN) return undefined;
  return { traceId, parentId, flags };
}

export function formatTraceparent({ traceId, parentId, flags }: TraceParent): string {
  return `00-${traceId}-${parentId}-${flags}`;
}

/** The same trace, one hop further: a new span id under it. */
export function childTraceparent(parent: TraceParent | undefined): TraceParent {
  const parentId = randomBytes(8).toString('hex');
  return parent ? { traceId: parent.traceId, parentId, flags: parent.flags } : { traceId: randomBytes(16).toString('hex'), parentId, flags: '00' };
}

/** The trace id of a `traceparent` header value, when it is valid. */
export function traceIdOf(header: unknown): string | undefined {
  return parseTraceparent(header)?.traceId;
}
