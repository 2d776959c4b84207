import { REVOCATION_KINDS, type RevocationEvent, type RevocationKind, type RevocationPage } from '@gatehouse/contracts';

const MAX_VALUE_LENGTH = 512;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isSeconds = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** An event as auth sends it, or undefined for anything else (nothing half-read is applied). */
export function revocationEventOf(value: unknown): RevocationEvent | undefined {
  if (!isRecord(value)) return undefined;
  const { seq, kind, value: named, before, until } = value;
  if (!isSeconds(seq) || seq < 1 || !REVOCATION_KINDS.includes(kind as RevocationKind)) return undefined;
  if (typeof named !== 'string' || named.length === 0 || named.length > MAX_VALUE_LENGTH || !isSeconds(before) || !isSeconds(until)) return undefined;
  return { seq, kind: kind as RevocationKind, value: named, before, until };
}

/** A pushed event of `issuer`'s feed; another platform's on a shared broker is ignored. */
export function revocationNoticeOf(message: string, issuer: string): RevocationEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  return isRecord(parsed) && parsed.iss === issuer ? revocationEventOf(parsed) : undefined;
}

/** A page of `GET /internal/revocations`; a malformed one throws, so the cursor stays where it was. */
export function revocationPageOf(body: Record<string, unknown>): RevocationPage {
  const { events, last, more } = body;
  if (!Array.isArray(events) || !isSeconds(last) || typeof more !== 'boolean') throw new Error('revocation feed: malformed page');
  const parsed = events.map(revocationEventOf);
  if (parsed.some((event) => event === undefined)) throw new Error('revocation feed: malformed event');
  return { events: parsed as RevocationEvent[], last, more };
}
