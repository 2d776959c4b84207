import type { IncomingHttpHeaders } from 'node:http';
import { HEADER, IDENTITY_HEADER_NAMES, IDENTITY_HEADER_PREFIXES } from '@gatehouse/contracts';

// RFC 9110 section 7.6.1: meaningful for one connection only, never forwarded either way.
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

/** Whether a client-sent header claims an identity. */
export function isIdentityHeader(name: string): boolean {
  return IDENTITY_HEADER_PREFIXES.some((prefix) => name.startsWith(prefix)) || (IDENTITY_HEADER_NAMES as readonly string[]).includes(name);
}

// Where the request came from, as other proxies say it. The gateway says it only in X-Forwarded-*
// (set below from the connection, or extended from a trusted proxy's): a client's `Forwarded` or
// `X-Real-IP` would otherwise reach a service as if the gateway had vouched for it.
function isForwardingHeader(name: string): boolean {
  return name.startsWith('x-forwarded-') || name === 'forwarded' || name === 'x-real-ip';
}

// `Connection: keep-alive` (or `close`), the usual value, lists no other header.
export const PLAIN_CONNECTION = /^\s*(keep-alive|close)\s*$/i;

/** Headers the `Connection` header lists (RFC 9110 section 7.6.1), or none. */
function connectionListed(headers: IncomingHttpHeaders): Set<string> | undefined {
  const value = headers.connection;
  if (value === undefined || (typeof value === 'string' && PLAIN_CONNECTION.test(value))) return undefined;
  const list = Array.isArray(value) ? value.join(',') : value;
  return new Set(
    list
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
}

/**
 * Cheap first: every identity and forwarding header but `forwarded` starts with `x-`. A client's
 * `traceparent` is dropped here and the request's valid one (ForwardContext) set after the loop.
 */
function dropsAlways(name: string): boolean {
  if (HOP_BY_HOP.has(name) || name === 'forwarded' || name === 'traceparent') return true;
  return name.charCodeAt(0) === 120 && name.charCodeAt(1) === 45 && (isIdentityHeader(name) || isForwardingHeader(name));
}

export interface ForwardContext {
  requestId: string;
  correlationId: string;
  /** The address of the connection's other end. */
  peer: string;
  /** Whether `peer` is a proxy of `GATEWAY_TRUSTED_PROXIES`, whose `X-Forwarded-*` are kept. */
  peerTrusted: boolean;
  protocol: string;
  host: string | undefined;
  /** The request's valid `traceparent`, if any: a malformed one is not forwarded. */
  traceparent?: string;
}

/**
 * The headers sent upstream: no hop-by-hop header, no identity claimed by the client, the
 * gateway's own `X-Request-Id` and `X-Correlation-Id`, and `X-Forwarded-For/Proto/Host`: a
 * trusted proxy's are extended (the peer appended to the chain), anyone else's are replaced;
 * `Forwarded` and `X-Real-IP` are dropped from everyone.
 */
export function upstreamHeaders(incoming: IncomingHttpHeaders, context: ForwardContext): Record<string, string | string[]> {
  const dropped = connectionListed(incoming);
  const out: Record<string, string | string[]> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || dropsAlways(name) || dropped?.has(name)) continue;
    out[name] = value;
  }
  out[HEADER.requestId] = context.requestId;
  out[HEADER.correlationId] = context.correlationId;
  if (context.traceparent) out.traceparent = context.traceparent;
  const sent = (name: string) => (context.peerTrusted ? single(incoming[name]) : undefined);
  const chain = sent('x-forwarded-for');
  out['x-forwarded-for'] = chain ? `${chain}, ${context.peer}` : context.peer;
  out['x-forwarded-proto'] = sent('x-forwarded-proto') ?? context.protocol;
  const host = sent('x-forwarded-host') ?? context.host;
  if (host) out['x-forwarded-host'] = host;
  return out;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
