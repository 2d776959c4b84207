import { StartupError } from '@gatehouse/config';

type Closable = {
  close(): Promise<void>;
  beginShutdown?(): void;
  settings?: { shutdownGraceSeconds: number };
};

/**
 * What a failed start prints: one block saying what is wrong and how to fix it. A StartupError
 * (a setting, a file, a port, the database: what an operator can fix) is that block; anything else
 * is a bug, said in one line, its stack trace shown only with LOG_LEVEL=debug or trace.
 */
export function startupFailure(error: unknown, logLevel: string | undefined): string {
  if (error instanceof StartupError) return `\nGatehouse cannot start.\n${error.message}\n\n`;
  const message = error instanceof Error ? error.message : String(error);
  const stack = logLevel === 'debug' || logLevel === 'trace' ? `\n${(error as Error | undefined)?.stack ?? ''}` : '\n  (LOG_LEVEL=debug shows the stack trace)';
  return `\nGatehouse cannot start: an unexpected error.\n  ${message}${stack}\n\n`;
}

/**
 * Runs a process until SIGINT or SIGTERM, then stops what it started gracefully (see
 * stopGracefully). A start that fails prints one block (startupFailure) and exits with 1.
 */
export async function runUntilSignal(start: () => Promise<Closable[]>, banner?: (started: Closable[]) => void): Promise<void> {
  let started: Closable[];
  try {
    started = await start();
  } catch (error) {
    process.stderr.write(startupFailure(error, process.env.LOG_LEVEL));
    process.exit(1);
  }
  banner?.(started);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal} received, shutting down\n`);
    void stopGracefully(started).finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * The stop a rolling deploy needs: every app starts draining at once (readiness 503, still
 * serving), for the longest `SHUTDOWN_GRACE` among them so that load balancers notice; then each
 * closes, in reverse order of start (the gateway, started last, first), its in-flight requests
 * bounded by its `SHUTDOWN_TIMEOUT`.
 */
export async function stopGracefully(started: readonly Closable[]): Promise<void> {
  for (const item of started) item.beginShutdown?.();
  const graceMs = Math.max(0, ...started.map((item) => (item.settings?.shutdownGraceSeconds ?? 0) * 1000));
  if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
  for (const item of [...started].reverse()) await item.close().catch(() => undefined);
}
