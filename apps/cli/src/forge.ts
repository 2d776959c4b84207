import type { KeyObject } from 'node:crypto';
import type { ScanContext } from './case';
import { type JsonObject, segment, signCompact } from './jose';

/** The members of `base` with `changes` applied; a change to `undefined` removes the member. */
export function changed(base: JsonObject, changes: JsonObject): JsonObject {
  const out: JsonObject = { ...base, ...changes };
  for (const [name, value] of Object.entries(changes)) if (value === undefined) delete out[name];
  return out;
}

/**
 * The valid token with its header changed and every other byte kept: the payload segment as
 * received and the original signature, which no longer covers the new header.
 */
export function withHeader(context: ScanContext, changes: JsonObject, signature = context.token.raw[2]): string {
  return `${segment(changed(context.token.header, changes))}.${context.token.raw[1]}.${signature}`;
}

/** The valid token with its payload changed, header segment and signature as received. */
export function withPayload(context: ScanContext, changes: JsonObject): string {
  return `${context.token.raw[0]}.${segment(changed(context.token.payload, changes))}.${context.token.raw[2]}`;
}

/** The valid token with another signature segment. */
export function withSignature(context: ScanContext, signature: string): string {
  return `${context.token.raw[0]}.${context.token.raw[1]}.${signature}`;
}

/** Header and payload changed as given, signed anew by `key` under `alg` (the header's own unless changed). */
export function resigned(context: ScanContext, key: KeyObject | Buffer, header: JsonObject = {}, payload?: JsonObject): string {
  const finalHeader = changed(context.token.header, header);
  const payloadSegment = payload ? segment(changed(context.token.payload, payload)) : context.token.raw[1];
  return signCompact(segment(finalHeader), payloadSegment, String(finalHeader.alg), key);
}

/**
 * With the operator's issuer key, header changes are signed anew, so that only the attacked
 * member is wrong; without it, the original signature goes along (and the header must be refused
 * for whichever reason the target finds first).
 */
export function headerAttack(context: ScanContext, changes: JsonObject): string {
  return context.issuerKey ? resigned(context, context.issuerKey, changes) : withHeader(context, changes);
}

export const bearer = (token: string): [string, string] => ['authorization', `Bearer ${token}`];
