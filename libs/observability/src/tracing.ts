import { formatTraceparent, type TraceParent } from './trace-context';

export const TRACE_EXPORTERS = ['none', 'otlp', 'console'] as const;
export type TraceExporterName = (typeof TRACE_EXPORTERS)[number];

/** The span of one request: its `traceparent` is what the next hop receives. */
export interface RequestSpan {
  readonly traceparent: string;
  end(name: string, status: number): void;
}

/** An app's tracer when `OTEL_EXPORTER` is not `none`. */
export interface Tracing {
  start(incoming: TraceParent | undefined): RequestSpan;
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  app: string;
  exporter: TraceExporterName;
  /** OTLP/HTTP traces endpoint; the exporter's own default (localhost:4318) when unset. */
  otlpUrl?: string;
}

/**
 * OpenTelemetry tracing, loaded only when an exporter is chosen: with `none` (the default) no
 * OpenTelemetry module is even imported, and the only cost per request is the `traceparent` check
 * of the HTTP hooks. Each app has its own provider (never the global one: the platform runs every
 * app in one process), with a batching processor so exporting never delays an answer.
 */
export async function startTracing({ app, exporter, otlpUrl }: TracingOptions): Promise<Tracing | undefined> {
  if (exporter === 'none') return undefined;
  const [api, sdk] = await Promise.all([import('@opentelemetry/api'), import('@opentelemetry/sdk-trace')]);
  const spanExporter =
    exporter === 'otlp'
      ? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(otlpUrl ? { url: otlpUrl } : {})
      : new sdk.ConsoleSpanExporter();
  const provider = new sdk.TracerProvider({ spanProcessors: [new sdk.BatchSpanProcessor({ exporter: spanExporter })] });
  const tracer = provider.getTracer(`gatehouse-${app}`);
  return {
    start(incoming) {
      const parent = incoming
        ? api.trace.setSpanContext(api.ROOT_CONTEXT, {
            traceId: incoming.traceId,
            spanId: incoming.parentId,
            traceFlags: parseInt(incoming.flags, 16),
            isRemote: true,
          })
        : api.ROOT_CONTEXT;
      const span = tracer.startSpan('request', { kind: api.SpanKind.SERVER, attributes: { 'service.name': `gatehouse-${app}` } }, parent);
      const own = span.spanContext();
      return {
        traceparent: formatTraceparent({ traceId: own.traceId, parentId: own.spanId, flags: own.traceFlags.toString(16).padStart(2, '0') }),
        end(name, status) {
          span.updateName(name);
          span.setAttribute('http.response.status_code', status);
          if (status >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
    shutdown: () => provider.shutdown(),
  };
}
