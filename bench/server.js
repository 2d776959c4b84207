'use strict';
/**
 * One server of the bench, in its own process so that its CPU time is its own: `upstream` (the
 * echo service), `bare-proxy` (node:http plus an undici pool, the floor for one hop), `express-seed`
 * (a naive Express gateway, a peer), `auth` and
 * `gateway` (the apps as built, started by `startApp` exactly as `npm start` starts them).
 *
 * Driven by bench/run.js over the IPC channel: `start`, then `usage` (process.cpuUsage() and
 * memory, read at the edges of a measured window), `profile-start`/`profile-stop` (the V8 CPU
 * profiler, as --cpu-prof, over one window), and for auth `signing-key`, `argon2`, `sign`,
 * `revocations`; `stop` last.
 */
require('reflect-metadata');
const { createServer } = require('node:http');
const { writeFileSync } = require('node:fs');
const { Session } = require('node:inspector');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { Pool } = require('undici');
const { fromDist } = require('./lib/dist');

let running; // { url, close(), extra commands }
let profiler;
// How late this process's event loop ran timers (a stall shows whatever caused it), sampled
// every 10 ms: coarse, but cheap enough not to show in the CPU figures.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let loopBusy = performance.eventLoopUtilization();

/** The upstream: answers every request with a small JSON echo of its line and body size. */
function echoUpstream() {
  const server = createServer((request, response) => {
    let received = 0;
    request.on('data', (chunk) => (received += chunk.length));
    request.on('end', () => {
      // The sanity check asks for the headers, to see what the gateway sent on.
      const echo = request.url.endsWith('/__headers')
        ? { method: request.method, url: request.url, headers: request.headers }
        : { method: request.method, url: request.url, received };
      const body = JSON.stringify(echo);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
  });
  return listen(server);
}

/**
 * The floor: the fastest Node proxy we can write. node:http in, one undici pool out, `request`,
 * write the status and body; nothing else (no header copying, no stream.pipeline, no checks). A
 * gateway cannot carry more than this on the same machine: the bench refuses any ratio over a
 * floor the gateway beats.
 */
function bareProxy({ upstream }) {
  const pool = new Pool(upstream, { connections: 128, pipelining: 1 });
  const server = createServer((request, response) => {
    pool.request({ method: request.method, path: request.url, headers: request.headers, body: request.method === 'GET' ? null : request }).then(
      async (answer) => {
        response.writeHead(answer.statusCode, { 'content-type': answer.headers['content-type'] });
        response.end(Buffer.from(await answer.body.arrayBuffer()));
      },
      () => {
        response.writeHead(502);
        response.end();
      },
    );
  });
  return listen(server, () => pool.close());
}

/**
 * A peer: the seed's gateway, written the way it was (Express, jsonwebtoken's verify with the
 * issuer's public key, express-http-proxy to the upstream), as a naive Node gateway to compare
 * with. Bench-only: its packages are dev dependencies; absent, run.js skips the row.
 */
function expressSeed({ upstream, publicKeyPem, issuer, algorithms }) {
  const express = require('express');
  const jwt = require('jsonwebtoken');
  const proxy = require('express-http-proxy');
  const app = express();
  app.use((req, res, next) => {
    const header = req.headers.authorization;
    if (!header || !header.startsWith('Bearer ')) return res.status(401).json({ error: 'missing token' });
    try {
      req.user = jwt.verify(header.slice(7), publicKeyPem, { algorithms, issuer });
      next();
    } catch (error) {
      res.status(401).json({ error: error.message });
    }
  });
  app.use('/', proxy(upstream));
  return listen(createServer(app));
}

function listen(server, onClose = async () => undefined) {
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: async () => {
          server.closeAllConnections();
          await new Promise((done) => server.close(done));
          await onClose();
        },
      });
    });
  });
}

async function authApp({ env }) {
  const { startApp } = fromDist('libs/app-kit/src');
  const { authApp: definition } = fromDist('apps/auth/src/auth.app');
  const { KeyStore } = fromDist('apps/auth/src/keys/key-store.service');
  const { PasswordHasher } = fromDist('apps/auth/src/accounts/passwords');
  const { signCompactJws } = fromDist('libs/security/src/jwt/compact-jws');
  const { RevocationEventEntity } = fromDist('apps/auth/src/revocations/revocation-event.entity');
  const { DataSource } = require('typeorm');
  const app = await startApp(definition, { env });
  return {
    url: app.url,
    close: () => app.close(),
    commands: {
      /** The active signing key, so the bench signs the tokens the gateway would see from auth. */
      'signing-key': async () => {
        const key = await app.app.get(KeyStore).signingKey();
        return { alg: key.alg, kid: key.kid, pem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }) };
      },
      /**
       * The bare argon2id rate of this process: the app's own PasswordHasher verifying a hash made
       * with its own parameters, `concurrency` at a time, for `ms`, with its CPU time.
       */
      argon2: async ({ ms, concurrency }) => {
        const hasher = app.app.get(PasswordHasher);
        const password = 'a bench password of reasonable length';
        const stored = await hasher.hash(password);
        const cpu0 = process.cpuUsage();
        const start = performance.now();
        let done = 0;
        let failed = 0;
        const lane = async () => {
          while (performance.now() - start < ms) {
            if (await hasher.verify(stored, password)) done++;
            else failed++;
          }
        };
        await Promise.all(Array.from({ length: concurrency }, lane));
        const seconds = (performance.now() - start) / 1000;
        const cpu = process.cpuUsage(cpu0);
        return {
          verifies: done,
          failed,
          seconds,
          rate: done / seconds,
          cpuMicrosPerVerify: (cpu.user + cpu.system) / Math.max(done, 1),
          params: stored.split('$')[3],
        };
      },
      /**
       * `count` access-token revocations written straight into the feed (expiring in an hour), so
       * the gateways' lists hold that many entries: scenario 8's loaded list.
       */
      revocations: async ({ count }) => {
        const dataSource = app.app.get(DataSource);
        const table = dataSource
          .getRepository(RevocationEventEntity)
          .metadata.tablePath.split('.')
          .map((part) => `"${part}"`)
          .join('.');
        await dataSource.query(
          `INSERT INTO ${table} ("kind", "value", "issued_before", "expires_at") SELECT 'jti', 'bench-' || n, now(), now() + interval '1 hour' FROM generate_series(1, $1) AS n`,
          [count],
        );
        return { count };
      },
      /**
       * The bare signature of this process: the app's own signer and active key on a token's worth
       * of claims, `concurrency` at a time, for `ms`, with its CPU time: the floor of one grant.
       */
      sign: async ({ ms, concurrency }) => {
        const key = await app.app.get(KeyStore).signingKey();
        const now = Math.floor(Date.now() / 1000);
        const claims = {
          iss: 'http://gatehouse.bench',
          sub: 'client:bench-service',
          aud: 'users',
          iat: now,
          nbf: now,
          exp: now + 600,
          jti: '6f1c1a52-2a1e-4a57-9a3c-5d6a4f1e2b3c',
          client_id: 'bench-service',
          scope: 'users:read',
          roles: [],
        };
        const cpu0 = process.cpuUsage();
        const start = performance.now();
        let done = 0;
        const lane = async () => {
          while (performance.now() - start < ms) {
            await signCompactJws({ alg: key.alg, typ: 'at+jwt', kid: key.kid }, claims, key.privateKey);
            done++;
          }
        };
        await Promise.all(Array.from({ length: concurrency }, lane));
        const seconds = (performance.now() - start) / 1000;
        const cpu = process.cpuUsage(cpu0);
        return { alg: key.alg, signatures: done, seconds, rate: done / seconds, cpuMicrosPerSignature: (cpu.user + cpu.system) / Math.max(done, 1) };
      },
    },
  };
}

async function gatewayApp({ env }) {
  const { startApp } = fromDist('libs/app-kit/src');
  const { gatewayApp: definition } = fromDist('apps/gateway/src/gateway.app');
  const app = await startApp(definition, { env });
  // The names of its settings, so the bench can tell whether a throttler has appeared.
  return { url: app.url, close: () => app.close(), info: { settings: Object.keys(app.settings) } };
}

const ROLES = { upstream: echoUpstream, 'bare-proxy': bareProxy, 'express-seed': expressSeed, auth: authApp, gateway: gatewayApp };

function usage() {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return { user: cpu.user, system: cpu.system, rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external };
}

function post(session, method, params = {}) {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
}

const COMMANDS = {
  start: async ({ role, options }) => {
    const start = ROLES[role];
    if (!start) throw new Error(`unknown role ${role}`);
    running = await start(options ?? {});
    return { url: running.url, pid: process.pid, ...running.info };
  },
  usage: async () => usage(),
  /** Starts a window of event-loop figures: `loop` then reads them. */
  'loop-reset': async () => {
    loopDelay.reset();
    loopBusy = performance.eventLoopUtilization();
    return {};
  },
  loop: async () => {
    const ms = (ns) => ns / 1e6;
    // The sampler's own 10 ms period is not a delay.
    const late = (ns) => Math.max(0, ms(ns) - 10);
    return {
      utilization: performance.eventLoopUtilization(loopBusy).utilization,
      delayP50: late(loopDelay.percentile(50)),
      delayP99: late(loopDelay.percentile(99)),
      delayMax: late(loopDelay.max),
    };
  },
  gc: async () => {
    if (typeof global.gc === 'function') global.gc();
    return usage();
  },
  'profile-start': async ({ intervalMicros }) => {
    profiler = new Session();
    profiler.connect();
    await post(profiler, 'Profiler.enable');
    await post(profiler, 'Profiler.setSamplingInterval', { interval: intervalMicros ?? 1000 });
    await post(profiler, 'Profiler.start');
    return {};
  },
  'profile-stop': async ({ file }) => {
    const { profile } = await post(profiler, 'Profiler.stop');
    profiler.disconnect();
    profiler = undefined;
    writeFileSync(file, JSON.stringify(profile));
    return { file };
  },
  stop: async () => {
    await running?.close();
    setImmediate(() => process.exit(0));
    return {};
  },
};

process.on('message', (message) => {
  const handler = COMMANDS[message.cmd] ?? running?.commands?.[message.cmd];
  const answer = handler ? handler(message) : Promise.reject(new Error(`unknown command ${message.cmd}`));
  answer.then(
    (result) => process.send({ id: message.id, ok: true, result }),
    (error) => process.send({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
// The bench's process went away: do not outlive it.
process.on('disconnect', () => process.exit(0));
