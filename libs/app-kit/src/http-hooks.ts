import { HEADER } from '@gatehouse/contracts';
import { type AppMetrics, type Logger, runInRequestContext, wellFormedId } from '@gatehouse/observability';
import type { FastifyInstance } from 'fastify';

/**
 * Request context, access log and metrics, as Fastify hooks so they run before routing and for
 * requests no Nest handler sees (unknown routes, malformed bodies). The access log holds the path
 * without its query string, and no header: a query string or a header may carry a credential.
 */
export function installHttpHooks(fastify: FastifyInstance, logger: Logger, metrics: AppMetrics): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const correlationId = wellFormedId(request.headers[HEADER.correlationId]);
    void reply.header(HEADER.requestId, request.id);
    if (correlationId) void reply.header(HEADER.correlationId, correlationId);
    runInRequestContext({ requestId: request.id, correlationId }, done);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, seconds);
    logger.info(
      {
        requestId: request.id,
        method: request.method,
        path: request.url.split('?', 1)[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request',
    );
    done();
  });
}
