import { AUDIT_EVENT, type AuditReport } from '@gatehouse/contracts';
import { currentRequestContext, type RequestContext, traceIdOf } from '@gatehouse/observability';
import type { ClientProxy } from '@nestjs/microservices';
import { Counter, type Registry } from 'prom-client';
import { emitEvent } from './rpc-call';

/** What a reporting app says of an event; the request's ids and the time are added here. */
export type AuditReportInput = Omit<AuditReport, 'occurredAt' | 'requestId' | 'correlationId' | 'traceId'>;

/** How reports reach auth: the message transport (services), or auth's internal HTTP endpoint (the gateway). */
export interface AuditChannel {
  send(report: AuditReport): Promise<void>;
  close(): Promise<void>;
}

/** Reports as `audit.report` events on the transport, the sender's client in the meta. */
export function transportAuditChannel(client: ClientProxy, authorization: string, timeoutMs: number): AuditChannel {
  return {
    send: (report) => emitEvent(client, AUDIT_EVENT.report, report, timeoutMs, { authorization, requestId: report.requestId }),
    close: async () => {
      await client.close();
    },
  };
}

export interface AuditPublisherOptions {
  /** Deadline of one send. */
  timeoutMs: number;
  /** Reports held while auth is slow or away; past it, new ones are dropped and counted. */
  capacity?: number;
  /** Sends in flight at once. */
  concurrency?: number;
}

const DROP_REASONS = ['full', 'failed', 'unconfigured'] as const;
type DropReason = (typeof DROP_REASONS)[number];

/**
 * Sends security events to auth's audit trail over the transport, fire and forget: `report`
 * never waits and never throws, so a refusal is answered whether or not auth is reachable. Reports
 * queue in a bounded buffer, go out a few at a time, each with a deadline; those that find the
 * buffer full or fail to send are dropped and counted in `gatehouse_audit_dropped_total`.
 */
export class AuditPublisher {
  private readonly queue: AuditReport[] = [];
  private inFlight = 0;
  private readonly sent: Counter;
  private readonly dropped: Counter<'reason'>;
  private readonly capacity: number;
  private readonly concurrency: number;
  private idle: (() => void)[] = [];

  /** `channel` undefined: the app has no credentials to send with, and nothing is sent. */
  constructor(
    private readonly channel: AuditChannel | undefined,
    private readonly options: AuditPublisherOptions,
    registry: Registry,
  ) {
    this.capacity = options.capacity ?? 1000;
    this.concurrency = options.concurrency ?? 4;
    this.sent = new Counter({ name: 'gatehouse_audit_sent_total', help: 'Audit events handed to the transport for auth', registers: [registry] });
    this.dropped = new Counter({
      name: 'gatehouse_audit_dropped_total',
      help: 'Audit events dropped: buffer full, send failed or timed out, or no client secret to send with',
      labelNames: ['reason'],
      registers: [registry],
    });
    for (const reason of DROP_REASONS) this.dropped.labels(reason).inc(0);
  }

  /**
   * `context`: the request's ids and trace context, where the caller holds them (the gateway, which
   * runs without AsyncLocalStorage); else those of the request this call runs in.
   */
  report(input: AuditReportInput, context: RequestContext | undefined = currentRequestContext()): void {
    if (!this.channel) return this.drop('unconfigured');
    if (this.queue.length >= this.capacity) return this.drop('full');
    this.queue.push({
      ...input,
      occurredAt: new Date().toISOString(),
      requestId: context?.requestId,
      correlationId: context?.correlationId,
      traceId: traceIdOf(context?.traceparent),
    });
    this.pump();
  }

  /** Resolves once every queued report is sent or dropped, or after `timeoutMs` (shutdown, tests). */
  flush(timeoutMs = this.options.timeoutMs): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
    await this.channel?.close();
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const report = this.queue.shift() as AuditReport;
      this.inFlight += 1;
      void withDeadline((this.channel as AuditChannel).send(report), this.options.timeoutMs)
        .then(
          () => this.sent.inc(),
          () => this.drop('failed'),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
          if (this.inFlight === 0 && this.queue.length === 0) for (const done of this.idle.splice(0)) done();
        });
    }
  }

  private drop(reason: DropReason): void {
    this.dropped.labels(reason).inc();
  }
}

// Whatever the channel, one send waits this long at most.
function withDeadline(sending: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no acknowledgement within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  return Promise.race([sending, deadline]).finally(() => clearTimeout(timer));
}
