import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContext {
  requestId: string;
  correlationId?: string;
  /** A valid incoming W3C `traceparent`, forwarded as is to the next hop (see trace-context). */
  traceparent?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

// Kept when a client or an upstream hop sends one, so a request can be followed across apps;
// anything else (too long, odd characters that could forge log lines) is replaced.
const WELL_FORMED_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

export function acceptRequestId(candidate: unknown): string {
  return typeof candidate === 'string' && WELL_FORMED_ID.test(candidate) ? candidate : randomUUID();
}

export function wellFormedId(candidate: unknown): string | undefined {
  return typeof candidate === 'string' && WELL_FORMED_ID.test(candidate) ? candidate : undefined;
}

export function runInRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

// An app that goes without AsyncLocalStorage (the gateway) finds the context on the request
// itself: one own property, no map to look it up in.
const CARRIED = Symbol('request context');
type Carrier = { [CARRIED]?: RequestContext };

/** Hands `context` to code that holds the request (instead of running the request inside it). */
export function attachRequestContext(request: object, context: RequestContext): void {
  (request as Carrier)[CARRIED] = context;
}

/** The context attached to `request`, if any (see attachRequestContext). */
export function attachedRequestContext(request: object): RequestContext | undefined {
  return (request as Carrier)[CARRIED];
}
