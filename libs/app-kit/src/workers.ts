import cluster, { type Worker } from 'node:cluster';
import { type CommonSettings, loadSettings, readDotEnv } from '@gatehouse/config';
import { createLogger, type Logger } from '@gatehouse/observability';
import { runUntilSignal, startupFailure } from './run';
import { type AppDefinition, startApp } from './start-app';

const READY = 'gatehouse:worker-ready';
/** A replacement waits this long after one death, doubling per further death within a minute. */
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 10_000;
const DEATH_WINDOW_MS = 60_000;

/**
 * Runs `definition` in `workers(settings)` node:cluster workers sharing its port (one: in this
 * process, as usual). The primary only supervises: a worker that dies is replaced, after a backoff
 * that grows while they keep dying; SIGTERM or SIGINT is passed on to every worker, which drains
 * as a single process does, and the primary exits once they are gone, or cuts them off past
 * their grace and `SHUTDOWN_TIMEOUT`. A worker that fails to start before any was ready fails
 * the start: every worker would, for the same reason it printed.
 */
export function runClustered<S extends CommonSettings>(definition: AppDefinition<S>, workers: (settings: S) => number): void {
  const start = async () => [await startApp(definition)];
  if (cluster.isWorker) {
    void runUntilSignal(start, () => process.send?.(READY));
    return;
  }
  let settings: S;
  try {
    settings = loadSettings(definition.settings, { ...readDotEnv(), ...process.env }).settings;
  } catch (error) {
    process.stderr.write(startupFailure(error, process.env.LOG_LEVEL));
    process.exit(1);
  }
  const count = workers(settings);
  if (count <= 1) {
    void runUntilSignal(start);
    return;
  }
  const logger = createLogger({ app: definition.name, level: settings.LOG_LEVEL, format: settings.logFormat });
  new WorkerSupervisor(count, settings, logger).start();
}

class WorkerSupervisor {
  private stopping = false;
  private anyReady = false;
  private readonly ready = new Set<number>();
  private deaths: number[] = [];

  constructor(
    private readonly count: number,
    private readonly settings: CommonSettings,
    private readonly logger: Logger,
  ) {}

  start(): void {
    cluster.on('message', (worker, message) => {
      if (message !== READY) return;
      this.ready.add(worker.id);
      this.anyReady = true;
      this.logger.info({ worker: worker.id, pid: worker.process.pid }, 'worker ready');
    });
    cluster.on('exit', (worker, code, signal) => this.exited(worker, code, signal));
    this.logger.info({ workers: this.count, primaryPid: process.pid }, 'starting workers');
    for (let i = 0; i < this.count; i++) cluster.fork();
    process.once('SIGTERM', () => this.stop('SIGTERM'));
    process.once('SIGINT', () => this.stop('SIGINT'));
  }

  private exited(worker: Worker, code: number | null, signal: string | null): void {
    const wasReady = this.ready.delete(worker.id);
    if (this.stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) this.exit(0);
      return;
    }
    if (!wasReady && !this.anyReady && code !== 0) {
      // The worker printed why; the others would fail alike (a setting, a port, a file).
      this.stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGKILL');
      this.exit(1);
      return;
    }
    const now = Date.now();
    this.deaths = [...this.deaths.filter((at) => now - at < DEATH_WINDOW_MS), now];
    const delayMs = Math.min(BACKOFF_BASE_MS * 2 ** (this.deaths.length - 1), BACKOFF_MAX_MS);
    this.logger.warn({ worker: worker.id, pid: worker.process.pid, code, signal, delayMs }, 'worker exited: replacing it');
    setTimeout(() => {
      if (!this.stopping) cluster.fork();
    }, delayMs).unref();
  }

  private stop(signal: NodeJS.Signals): void {
    if (this.stopping) return;
    this.stopping = true;
    process.stderr.write(`\n${signal} received, shutting down the workers\n`);
    const alive = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    if (alive.length === 0) this.exit(0);
    for (const worker of alive) worker.process.kill('SIGTERM');
    // Each worker bounds its own stop; this only catches one that hangs past it.
    const deadlineMs = (this.settings.shutdownGraceSeconds + this.settings.SHUTDOWN_TIMEOUT + 5) * 1000;
    setTimeout(() => {
      this.logger.warn({ deadlineMs }, 'workers still running past the shutdown deadline: killed');
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      this.exit(0);
    }, deadlineMs).unref();
  }

  private exit(code: number): void {
    this.logger.flush();
    process.exit(code);
  }
}
