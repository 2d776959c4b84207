import { HEADER } from '@gatehouse/contracts';
import {
  type AppMetrics,
  attachRequestContext,
  createAccessLogger,
  type Logger,
  parseTraceparent,
  type RequestSpan,
  runInRequestContext,
  TRACEPARENT,
  type Tracing,
  wellFormedId,
} from '@gatehouse/observability';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The route a request counts under in metrics, where the app knows better than the framework. */
export type MetricsRoute = (request: FastifyRequest) => string | undefined;

/**
 * Request context (with the trace context and, when tracing is on, the request's span), access
 * log and metrics, as Fastify hooks so they run before routing and for
 * requests no Nest handler sees (unknown routes, malformed bodies). The access log holds the path
 * without its query string, and no header: a query string or a header may carry a credential.
 */
export function installHttpHooks(
  fastify: FastifyInstance,
  logger: Logger,
  metrics: AppMetrics,
  metricsRoute?: MetricsRoute,
  accessLog: 'all' | 'errors' | 'off' = 'all',
  requestContext = true,
  tracing?: Tracing,
): void {
  // A refused or failed request is logged from this status up; `off` logs none.
  const loggedFrom = accessLog === 'all' ? 0 : accessLog === 'errors' ? 400 : Infinity;
  const access = createAccessLogger(logger);
  const children = metricChildren(metrics);
  const spans = new WeakMap<object, RequestSpan>();
  fastify.addHook('onRequest', (request, reply, done) => {
    const correlationId = wellFormedId(request.headers[HEADER.correlationId]);
    void reply.header(HEADER.requestId, request.id);
    if (correlationId) void reply.header(HEADER.correlationId, correlationId);
    // Kept only when valid: a malformed one is dropped here and never reaches the next hop. With
    // tracing on, this app's span is the parent the next hop sees. Without either, nothing is parsed.
    const incoming = request.headers[TRACEPARENT];
    const parent = incoming === undefined ? undefined : parseTraceparent(incoming);
    let traceparent = parent ? (incoming as string) : undefined;
    if (tracing) {
      const span = tracing.start(parent);
      spans.set(request, span);
      traceparent = span.traceparent;
    }
    const context = { requestId: request.id, correlationId, traceparent };
    // The context follows the request through every promise (AsyncLocalStorage's hooks on each
    // one); an app that reads the ids from the request (the gateway) goes without.
    if (requestContext) runInRequestContext(context, done);
    else {
      attachRequestContext(request, context);
      done();
    }
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    // A template or a routes-file prefix, never the raw path: label values must stay few.
    const route = metricsRoute?.(request) ?? request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    children.requests(request.method, route, reply.statusCode).inc();
    children.duration(request.method, route).observe(seconds);
    if (tracing) spans.get(request)?.end(`${request.method} ${route}`, reply.statusCode);
    if (reply.statusCode >= loggedFrom) {
      access.info(
        {
          requestId: request.id,
          method: request.method,
          path: request.url.split('?', 1)[0],
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 100) / 100,
        },
        'request',
      );
    }
    done();
  });
}

/**
 * The metrics' label children, kept: `inc({...labels})` hashes a label object on every call.
 * Method, route template and status are few, so the maps stay small.
 */
function metricChildren(metrics: AppMetrics) {
  const requests = new Map<string, ReturnType<AppMetrics['httpRequests']['labels']>>();
  const durations = new Map<string, ReturnType<AppMetrics['httpDuration']['labels']>>();
  return {
    requests(method: string, route: string, status: number) {
      const key = `${method} ${route} ${status}`;
      let child = requests.get(key);
      if (!child) requests.set(key, (child = metrics.httpRequests.labels(method, route, String(status))));
      return child;
    },
    duration(method: string, route: string) {
      const key = `${method} ${route}`;
      let child = durations.get(key);
      if (!child) durations.set(key, (child = metrics.httpDuration.labels(method, route)));
      return child;
    },
  };
}
