import { SettingsError } from '@gatehouse/config';
import { DataFolderInUseError } from '@gatehouse/persistence';

type Closable = {
  close(): Promise<void>;
  beginShutdown?(): void;
  settings?: { shutdownGraceSeconds: number };
};

/**
 * Runs a process until SIGINT or SIGTERM, then stops what it started gracefully (see
 * stopGracefully). A start that fails for a reason the operator can fix (settings, a data folder
 * in use) prints that reason alone, without a stack trace.
 */
export async function runUntilSignal(start: () => Promise<Closable[]>, banner?: (started: Closable[]) => void): Promise<void> {
  let started: Closable[];
  try {
    started = await start();
  } catch (error) {
    const known = error instanceof SettingsError || error instanceof DataFolderInUseError;
    const text = error instanceof Error ? (known ? error.message : (error.stack ?? error.message)) : String(error);
    process.stderr.write(`${text}\n`);
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
