'use strict';
/**
 * The load: autocannon for throughput (closed loop, fixed connections, fixed duration), and a
 * paced open-loop client for the fixed-rate latency runs. Latencies are recorded here, per
 * response, in fractional milliseconds: autocannon's own histogram keeps whole milliseconds,
 * too coarse for sub-millisecond differences.
 */
const autocannon = require('autocannon');
const { Pool } = require('undici');

/** Percentiles (ms) of an array of latencies, sorted in place. */
function percentiles(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
  return { p50: at(50), p90: at(90), p99: at(99), max: sorted.length ? sorted[sorted.length - 1] : NaN, count: sorted.length };
}

/**
 * A request source for autocannon: each request takes the next bearer token of `tokens` (or none),
 * built per request by setupRequest, so every scenario costs the load generator the same.
 */
function requestSource({ path, method = 'GET', headers = {}, body, tokens }) {
  let next = 0;
  return [
    {
      method,
      path,
      body,
      setupRequest: (request) => {
        request.headers = tokens ? { ...headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } : { ...headers };
        return request;
      },
    },
  ];
}

/** One autocannon run: counts, latencies and errors as seen by this process. */
function hammer({ url, connections, seconds, requests }) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    const status = {};
    let ok = 0;
    let non2xx = 0;
    let requestErrors = 0;
    const started = performance.now();
    const instance = autocannon({ url, connections, duration: seconds, requests, pipelining: 1, timeout: 10 }, (error, result) => {
      if (error) return reject(error);
      const elapsed = (performance.now() - started) / 1000;
      resolve({
        responses: ok + non2xx,
        ok,
        non2xx,
        errors: Math.max(requestErrors, result.errors),
        timeouts: result.timeouts,
        status,
        elapsed,
        latency: percentiles(latencies),
        raw: Float64Array.from(latencies),
      });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      status[statusCode] = (status[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) ok++;
      else non2xx++;
    });
    instance.on('reqError', () => requestErrors++);
  });
}

/**
 * Open-loop load at a fixed rate: request i leaves at start + i/rate whatever the answers do,
 * over a keep-alive pool, so a slow server meets requests queueing rather than a slower client.
 * Latency runs from the moment a request is handed to the pool to its last body byte. A server
 * that falls more than a second of requests behind cannot carry the rate: the run stops sending
 * and says so (`saturated`), rather than measuring an ever-growing queue.
 */
async function paced({ url, path, rate, seconds, headersFor, connections = 64 }) {
  const pool = new Pool(new URL(url).origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const total = Math.floor(rate * seconds);
  const backlog = Math.max(200, rate);
  const latencies = new Float64Array(total);
  const status = {};
  let sent = 0;
  let settled = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let recorded = 0;
  let saturated = false;
  const started = performance.now();
  await new Promise((resolve) => {
    let stopped = false;
    const finish = () => {
      if (stopped && settled === sent) resolve();
    };
    const fire = () => {
      const t0 = performance.now();
      pool
        .request({ method: 'GET', path, headers: headersFor(), headersTimeout: 10_000, bodyTimeout: 10_000 })
        .then(async (answer) => {
          await answer.body.dump();
          latencies[recorded++] = performance.now() - t0;
          status[answer.statusCode] = (status[answer.statusCode] ?? 0) + 1;
          if (answer.statusCode >= 200 && answer.statusCode < 300) ok++;
          else non2xx++;
        })
        .catch(() => errors++)
        .finally(() => {
          settled++;
          finish();
        });
    };
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000));
      while (sent < due && sent - settled < backlog) {
        sent++;
        fire();
      }
      if (sent < due) saturated = true;
      if (sent === total || saturated) {
        clearInterval(timer);
        stopped = true;
        finish();
      }
    }, 1);
  });
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return {
    responses: ok + non2xx,
    ok,
    non2xx,
    errors,
    timeouts: 0,
    status,
    elapsed,
    targetRate: rate,
    saturated,
    latency: percentiles(latencies.subarray(0, recorded)),
  };
}

module.exports = { hammer, paced, percentiles, requestSource };
