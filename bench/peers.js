'use strict';
/**
 * The peer comparison of `npm run bench`: every target under the same reference load generator
 * (wrk: 1 thread, 50 connections, a Lua script rotating the same 1,000 tokens), in one run:
 * the upstream called directly (it must carry well above every proxied row, or the generator is
 * the bottleneck), the Node floor, HAProxy 2.6 `jwt_verify` (one thread and default threads), the
 * seed's Express gateway, and the Gatehouse gateway's public, jwt and default-pipeline routes.
 * A peer that is not installed (`apt-get install -y wrk haproxy`; `npm ci` installs the Express
 * peer's dev dependencies) is skipped and named.
 */
const { execFile, spawn, spawnSync } = require('node:child_process');
const { createPublicKey } = require('node:crypto');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { freePort } = require('../scripts/free-port');

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

const LUA = `
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = "Bearer " .. line end
local path = os.getenv("BENCH_PATH")
local i = 0
request = function()
  i = i % #tokens + 1
  return wrk.format("GET", path, { ["Authorization"] = tokens[i] })
end
`;

/** One wrk window: req/s, p50/p99 (ms), errors and non-2xx. */
function wrk({ url, path, seconds, connections, work }) {
  return new Promise((resolve, reject) => {
    execFile(
      'wrk',
      ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', join(work, 'rotate.lua'), url],
      { env: { ...process.env, BENCH_TOKENS: join(work, 'tokens.txt'), BENCH_PATH: path }, timeout: (seconds + 30) * 1000 },
      (error, stdout) => {
        if (error) return reject(new Error(`wrk: ${error.message}`));
        const number = (re) => Number(re.exec(stdout)?.[1] ?? NaN);
        const ms = (label) => {
          const match = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(stdout);
          if (!match) return NaN;
          return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2]];
        };
        const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
        resolve({
          rps: number(/Requests\/sec:\s+([\d.]+)/),
          p50: ms('50'),
          p99: ms('99'),
          errors: socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
          non2xx: number(/Non-2xx or 3xx responses: (\d+)/) || 0,
        });
      },
    );
  });
}

/** HAProxy with `jwt_verify` (signature, alg pinned, `exp`), its config generated here. */
async function startHaproxy({ upstreamUrl, publicKeyPem, alg, threads, work }) {
  const port = await freePort();
  const upstream = new URL(upstreamUrl);
  const keyFile = join(work, 'haproxy-key.pem');
  writeFileSync(keyFile, publicKeyPem);
  const config = join(work, `haproxy-${threads ?? 'default'}.cfg`);
  writeFileSync(
    config,
    `global
  ${threads ? `nbthread ${threads}` : '# default threads: one per core'}
  maxconn 4000
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend gateway
  bind 127.0.0.1:${port}
  http-request set-var(txn.bearer) http_auth_bearer
  http-request set-var(txn.alg) var(txn.bearer),jwt_header_query('$.alg')
  http-request deny deny_status 401 unless { var(txn.alg) -m str ${alg} }
  http-request deny deny_status 401 unless { var(txn.bearer),jwt_verify(txn.alg,"${keyFile}") -m int 1 }
  http-request set-var(txn.exp) var(txn.bearer),jwt_payload_query('$.exp','int')
  http-request set-var(txn.now) date
  http-request deny deny_status 401 if { var(txn.exp),sub(txn.now) -m int lt 0 }
  default_backend upstream
backend upstream
  http-reuse always
  server echo ${upstream.hostname}:${upstream.port}
`,
  );
  const check = spawnSync('haproxy', ['-c', '-q', '-f', config], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy config refused: ${check.stderr || check.stdout}`);
  const child = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM')))) };
}

/**
 * Runs the peer table. `targets`: the bench's own servers; `startChild` starts the Express peer.
 * Each target is measured in `rounds` windows, interleaved, and its figures are the mean req/s and
 * the worst p99 of its windows.
 */
async function runPeers({ upstream, floor, gateway, full, tokens, signer, issuer, path, quick, work, startChild, log }) {
  if (!has('wrk')) {
    log('  peers: wrk is not installed (apt-get install -y wrk haproxy): the peer table is skipped.');
    return { skipped: 'wrk not installed', rows: [] };
  }
  writeFileSync(join(work, 'tokens.txt'), `${tokens.join('\n')}\n`);
  writeFileSync(join(work, 'rotate.lua'), LUA);
  const publicKeyPem = createPublicKey(signer.pem).export({ type: 'spki', format: 'pem' });
  const targets = [
    { id: 'direct', label: 'upstream called directly', url: upstream.url, path },
    { id: 'floor', label: 'Node floor (node:http + undici, no checks)', url: floor.url, path },
  ];
  const stops = [];
  const skipped = [];
  if (has('haproxy')) {
    for (const threads of [1, undefined]) {
      const haproxy = await startHaproxy({ upstreamUrl: upstream.url, publicKeyPem, alg: signer.alg, threads, work });
      stops.push(haproxy.stop);
      targets.push({
        id: threads ? 'haproxy1' : 'haproxy',
        label: `HAProxy jwt_verify, ${threads ? 'nbthread 1' : 'default threads'}`,
        url: haproxy.url,
        path,
      });
    }
  } else skipped.push('HAProxy (apt-get install -y haproxy)');
  let express;
  try {
    require.resolve('express-http-proxy');
    express = await startChild('express-seed', 'express-seed', { upstream: upstream.url, publicKeyPem, issuer, algorithms: [signer.alg] });
    stops.push(() => express.stop());
    targets.push({ id: 'express', label: "the seed's Express gateway", url: express.url, path });
  } catch {
    skipped.push('Express seed gateway (npm ci installs its dev dependencies)');
  }
  targets.push(
    { id: 'public', label: 'Gatehouse, public route', url: gateway.url, path: `/public${path}` },
    { id: 'jwt', label: 'Gatehouse, jwt route (pass-through)', url: gateway.url, path: `/verified${path}` },
    { id: 'default', label: 'Gatehouse, default pipeline (tenant, throttle, internal token)', url: full.url, path },
  );
  if (skipped.length) log(`  peers skipped: ${skipped.join('; ')}`);
  const seconds = quick ? 1 : 10;
  const rounds = quick ? 1 : 2;
  const windows = Object.fromEntries(targets.map((t) => [t.id, []]));
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const target of targets) {
        if (!quick) await wrk({ url: target.url, path: target.path, seconds: 2, connections: 50, work });
        const window = await wrk({ url: target.url, path: target.path, seconds, connections: 50, work });
        windows[target.id].push(window);
        log(`  wrk ${round}/${rounds} ${target.label}: ${Math.round(window.rps)} req/s, p99 ${window.p99.toFixed(2)} ms`);
      }
    }
  } finally {
    for (const stop of stops) await stop();
  }
  const rows = targets.map((target) => {
    const list = windows[target.id];
    return {
      id: target.id,
      label: target.label,
      rps: list.reduce((a, w) => a + w.rps, 0) / list.length,
      p50: Math.max(...list.map((w) => w.p50)),
      p99: Math.max(...list.map((w) => w.p99)),
      errors: list.reduce((a, w) => a + w.errors, 0),
      non2xx: list.reduce((a, w) => a + w.non2xx, 0),
    };
  });
  return { rows, skipped, settings: { generator: 'wrk -t1 -c50', seconds, rounds, tokens: tokens.length } };
}

module.exports = { runPeers };
