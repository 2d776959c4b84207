import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One registry per app, so the platform process can serve each app's metrics on its own port. */
export class AppMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  /** Answers that refused or failed, by the stable error code of the error table (OAuth codes included). */
  readonly refusals: Counter<'code'>;

  constructor(app: string) {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry, prefix: 'gatehouse_' });
    this.httpRequests = new Counter({
      name: 'gatehouse_http_requests_total',
      help: 'HTTP requests answered, by route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'gatehouse_http_request_duration_seconds',
      help: 'HTTP request duration, by route template',
      labelNames: ['method', 'route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.refusals = new Counter({
      name: 'gatehouse_refusals_total',
      help: 'Requests and messages answered with an error, by error code',
      labelNames: ['code'],
      registers: [this.registry],
    });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
