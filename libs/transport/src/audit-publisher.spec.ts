import { createServer, type Server } from 'node:net';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { Registry } from 'prom-client';
import { AuditPublisher, transportAuditChannel } from './audit-publisher';

/** Against real TCP endpoints: one nobody listens on, one that accepts and never answers. */
describe('AuditPublisher: fire and forget, bounded, counted', () => {
  let silent: Server;
  let silentPort: number;

  beforeAll(async () => {
    // Accepts connections and reads nothing back: an emit is written, never acknowledged.
    silent = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });

  afterAll(() => new Promise<void>((resolve) => silent.close(() => resolve())));

  const dropped = async (registry: Registry, reason: string) =>
    (await registry.getSingleMetric('gatehouse_audit_dropped_total')?.get())?.values.find((value) => value.labels.reason === reason)?.value ?? 0;
  const sent = async (registry: Registry) => (await registry.getSingleMetric('gatehouse_audit_sent_total')?.get())?.values[0]?.value ?? 0;
  const channel = (port: number) =>
    transportAuditChannel(ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } }), 'Basic eDp5', 1_000);
  const report = { type: 'access.refused', outcome: 'failure' } as const;

  it('returns at once and counts a send that fails (nobody listening) as dropped', async () => {
    const registry = new Registry();
    const publisher = new AuditPublisher(channel(1), { timeoutMs: 300 }, registry);
    const started = Date.now();
    publisher.report(report);
    expect(Date.now() - started).toBeLessThan(50);
    await publisher.flush(2_000);
    expect(await dropped(registry, 'failed')).toBe(1);
    expect(await sent(registry)).toBe(0);
    await publisher.onApplicationShutdown();
  });

  it('drops what does not fit in the buffer, and sends the rest', async () => {
    const registry = new Registry();
    const publisher = new AuditPublisher(channel(silentPort), { timeoutMs: 1_000, capacity: 2, concurrency: 1 }, registry);
    for (let i = 0; i < 5; i++) publisher.report(report);
    // One in flight, two queued, two dropped.
    expect(await dropped(registry, 'full')).toBe(2);
    await publisher.flush(3_000);
    expect((await sent(registry)) + (await dropped(registry, 'failed'))).toBe(3);
    await publisher.onApplicationShutdown();
  });

  it('sends nothing without credentials, counting every report as unconfigured', async () => {
    const registry = new Registry();
    const publisher = new AuditPublisher(undefined, { timeoutMs: 300 }, registry);
    publisher.report(report);
    publisher.report(report);
    expect(await dropped(registry, 'unconfigured')).toBe(2);
    expect(await dropped(registry, 'full')).toBe(0);
    await publisher.onApplicationShutdown();
  });

  it('gives up on a channel that never acknowledges, at its deadline', async () => {
    const registry = new Registry();
    const stuck = { send: () => new Promise<void>(() => undefined), close: () => Promise.resolve() };
    const publisher = new AuditPublisher(stuck, { timeoutMs: 100 }, registry);
    publisher.report(report);
    await publisher.flush(1_000);
    expect(await dropped(registry, 'failed')).toBe(1);
  });
});
