import { SettingsError } from '@gatehouse/config';
import { DataFolderInUseError } from '@gatehouse/persistence';

type Closable = { close(): Promise<void> };

/**
 * Runs a process until SIGINT or SIGTERM, then closes what it started, in reverse order. A start
 * that fails for a reason the operator can fix (settings, a data folder in use) prints that
 * reason alone, without a stack trace.
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
    void (async () => {
      for (const item of [...started].reverse()) await item.close().catch(() => undefined);
      process.exit(0);
    })();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
