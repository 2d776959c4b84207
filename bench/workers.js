'use strict';
/**
 * Scenario 9, every core: scenario 4's requests (jwt route, tokens in rotation) at a gateway run
 * as its entry point runs it, with GATEWAY_WORKERS=1 and then 2 (node:cluster workers sharing the
 * port). On this bench's machine the load generator shares the cores with the workers, so the
 * second worker's gain is a floor: on a machine whose clients are elsewhere it is larger.
 */
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { freePort } = require('../scripts/free-port');
const { hammer } = require('./lib/load');

const LAUNCHER = join(__dirname, 'lib', 'clustered-gateway.js');

/** Starts the gateway with `workers` workers; resolves once each has answered a health check. */
async function startWorkers(env, workers) {
  const port = await freePort();
  const child = spawn(process.execPath, [LAUNCHER], {
    env: { ...process.env, ...env, GATEWAY_PORT: String(port), GATEWAY_WORKERS: String(workers) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const seen = new Set();
  const deadline = Date.now() + 60_000;
  while (seen.size < workers) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`scenario 9: ${workers} workers did not all answer within 60 s`);
    try {
      const answer = await fetch(`${url}/health/live`, { headers: { connection: 'close' } });
      seen.add((await answer.json()).worker ?? 0);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return { url, child };
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** Requests per second with 1 and with 2 workers, and the ratio; `env` is the gateway's settings. */
async function workersScaling({ env, requests, connections, warmupSeconds, seconds, log }) {
  const figures = {};
  for (const workers of [1, 2]) {
    process.stdout.write(`  9. gateway, jwt route, GATEWAY_WORKERS=${workers} ... `);
    const { url, child } = await startWorkers(env, workers);
    try {
      if (warmupSeconds > 0) await hammer({ url, connections, seconds: warmupSeconds, requests });
      const run = await hammer({ url, connections, seconds, requests });
      if (run.errors || run.non2xx) throw new Error(`scenario 9: ${run.errors} errors, ${run.non2xx} non-2xx with ${workers} workers`);
      figures[workers] = { rps: run.ok / run.elapsed, p99: run.latency.p99 };
      log(`${Math.round(figures[workers].rps)} req/s, p99 ${figures[workers].p99.toFixed(2)} ms`);
    } finally {
      await stop(child);
    }
  }
  return { one: figures[1], two: figures[2], ratio: figures[2].rps / figures[1].rps };
}

module.exports = { workersScaling };
