'use strict';
/** The bench's servers as child processes (bench/server.js), each driven over its IPC channel. */
const { fork } = require('node:child_process');
const { join } = require('node:path');

class Child {
  constructor(name, process) {
    this.name = name;
    this.process = process;
    this.pending = new Map();
    this.next = 0;
    this.exited = new Promise((resolve) => process.once('exit', (code, signal) => resolve({ code, signal })));
    process.on('message', (message) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.ok) waiting.resolve(message.result);
      else waiting.reject(new Error(`${name}: ${message.error}`));
    });
    void this.exited.then(({ code, signal }) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`${name} exited (${signal ?? code})`));
      this.pending.clear();
    });
  }

  call(cmd, args = {}) {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.process.send({ id, cmd, ...args });
    });
  }

  async stop() {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
    await this.call('stop').catch(() => undefined);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Forks bench/server.js as `role`. Its stdout (the apps' JSON log lines, an access log line per
 * request at the default level) goes to /dev/null, or to `logFile` when given; stderr is shown.
 */
async function startChild(name, role, options = {}, { execArgv = [], logFd = 'ignore', env = {} } = {}) {
  const child = fork(join(__dirname, '..', 'server.js'), [name], {
    stdio: ['ignore', logFd, 'inherit', 'ipc'],
    execArgv,
    env: { ...process.env, ...env },
  });
  const handle = new Child(name, child);
  const started = await handle.call('start', { role, options });
  handle.url = started.url;
  handle.pid = started.pid;
  handle.info = started;
  return handle;
}

module.exports = { startChild };
