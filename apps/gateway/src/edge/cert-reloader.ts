import { readFileSync, type StatWatcher, unwatchFile, watchFile } from 'node:fs';
import type { Server as TlsServer } from 'node:tls';
import type { Logger } from '@gatehouse/observability';
import type { GatewayEdgeSettings } from './edge.settings';
import { edgeTlsOptions, unusable } from './tls-options';

/** Milliseconds between looks at the files: polled, since a mounted secret is replaced by renaming a link, which fs.watch misses. */
const POLL_MS = 1000;
/** The certificate and its key are written one after the other: wait for both before reading. */
const SETTLE_MS = 300;

/**
 * Serves a renewed certificate without a restart: when `TLS_CERT_FILE` or `TLS_KEY_FILE` changes,
 * both are read again and, if they make a usable pair, become the listener's secure context for
 * every new connection. A pair that does not (half written, mismatched) is logged and the current
 * certificate stays.
 */
export class CertReloader {
  private readonly files: string[];
  private timer: NodeJS.Timeout | undefined;
  private watchers: StatWatcher[] = [];

  constructor(
    private readonly server: TlsServer,
    private readonly settings: GatewayEdgeSettings,
    private readonly logger: Logger,
  ) {
    this.files = [settings.TLS_CERT_FILE, settings.TLS_KEY_FILE].filter((file): file is string => file !== undefined);
  }

  start(): void {
    for (const file of this.files) {
      const watcher = watchFile(file, { interval: POLL_MS, persistent: false }, (current, previous) => {
        if (current.mtimeMs !== previous.mtimeMs || current.ino !== previous.ino || current.size !== previous.size) this.schedule();
      });
      this.watchers.push(watcher);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    for (const file of this.files) unwatchFile(file);
    this.watchers = [];
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reload(), SETTLE_MS);
    this.timer.unref();
  }

  /** Reads both files again and swaps the context when they make a usable pair. */
  reload(): boolean {
    const [certFile, keyFile] = this.files;
    let problem: string | undefined;
    try {
      const options = edgeTlsOptions(this.settings, readFileSync(certFile, 'utf8'), readFileSync(keyFile, 'utf8'));
      problem = unusable(options);
      if (!problem) {
        this.server.setSecureContext(options);
        this.logger.info({ certFile }, 'TLS certificate reloaded');
        return true;
      }
    } catch (error) {
      problem = (error as Error).message;
    }
    this.logger.warn({ certFile, keyFile, problem }, 'TLS files changed but cannot be used: the current certificate stays');
    return false;
  }
}
