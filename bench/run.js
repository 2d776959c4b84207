'use strict';
/**
 * `npm run bench`: the gateway's throughput, latency and CPU cost per request next to its
 * baselines, and the token endpoint's rates next to argon2id. See docs/PERFORMANCE.md.
 *
 *   npm run bench                      full run (about 3 minutes on 2 quiet cores)
 *   npm run bench -- --quick           a few seconds per scenario: checks that all run without errors
 *   npm run bench -- --write-docs      also replaces the figures section of docs/PERFORMANCE.md
 *   npm run bench -- --profile=4,5     V8 CPU profile of the server over those scenarios' windows
 *   npm run bench -- --cpu-prof        the gateways run under node --cpu-prof (whole life)
 *   npm run bench -- --logs            the servers' log lines go to bench/results/logs/ instead of /dev/null
 *   npm run bench -- --database-url=postgres://...   auth on PostgreSQL (fresh schemas, dropped after)
 *   npm run bench -- --gateway-env=LOG_LEVEL=warn --gateway-flags=--max-semi-space-size=64
 *                                      experiments: settings and node flags for both gateways
 *   --connections=N --seconds=S --warmup=S override the defaults
 */
const { randomBytes } = require('node:crypto');
const { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { parseArgs } = require('node:util');
const { freePort } = require('../scripts/free-port');
const { startChild } = require('./lib/children');
const { ROOT } = require('./lib/dist');
const { hammer, paced, percentiles, requestSource } = require('./lib/load');
const { machineMicros, processGroupMicros, sampleBusyCores } = require('./lib/machine-cpu');
const { formatSummary, summarize } = require('./lib/profile');
const { decodePayload, mintTokens } = require('./lib/tokens');
const { runPeers } = require('./peers');
const { checkCost, revocationLatency } = require('./revocation');
const { workersScaling } = require('./workers');

/**
 * THROTTLER. Every gateway runs pipeline step 7 (rate limits, docs/ARCHITECTURE.md); the bench
 * drives each from one address and one user far past any real limit, so its limits are set far
 * above the bench's rate: the counting is measured, nothing is refused (the scenarios expect 2xx
 * only). Override without touching this file: BENCH_THROTTLER_ENV='NAME=value,OTHER=value'.
 */
const THROTTLER_ENV = {
  RATE_LIMIT_DEFAULT: '999999999/60',
  RATE_LIMIT_PUBLIC: '999999999/60',
  RATE_LIMIT_AUTH: '999999999/60',
  RATE_LIMIT_GLOBAL: '999999999/1',
  RATE_LIMIT_TENANT_PLANS: 'default=999999999',
};

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'write-docs': { type: 'boolean', default: false },
    profile: { type: 'string', default: '' },
    'cpu-prof': { type: 'boolean', default: false },
    logs: { type: 'boolean', default: false },
    'database-url': { type: 'string' },
    'gateway-env': { type: 'string', default: '' },
    'gateway-flags': { type: 'string', default: '' },
    connections: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    'signing-alg': { type: 'string', default: 'RS256' },
  },
});

const QUICK = args.quick;
const ROUNDS = 3;
const SETTINGS = {
  mode: QUICK ? 'quick' : 'full',
  connections: Number(args.connections ?? 16),
  warmupSeconds: Number(args.warmup ?? (QUICK ? 0.5 : 3)),
  seconds: Number(args.seconds ?? (QUICK ? 1.5 : 10)),
  pacedSeconds: QUICK ? 1 : 10,
  pacedWarmupSeconds: QUICK ? 0.5 : 2,
  pacedConnections: 64,
  loginConnections: 8,
  argon2Concurrency: 8,
  argon2Seconds: QUICK ? 1 : 5,
  // Scenario 8a: each revocation waits up to one poll interval (1 s) for both gateways.
  revocations: QUICK ? 5 : 100,
  // Scenario 8c: entries in the gateways' revocation lists while scenario 4 runs again.
  listedRevocations: QUICK ? 10_000 : 100_000,
  rotatingTokens: 1000,
  tokenLifetimeSeconds: 1800,
  signingAlg: args['signing-alg'],
  gateway: { NODE_ENV: 'production', LOG_LEVEL: 'info', ...parseEnvList(args['gateway-env']) },
  gatewayFlags: args['gateway-flags'].split(' ').filter(Boolean),
  auth: { NODE_ENV: 'development', LOG_LEVEL: 'info' },
};
const DATABASE_URL = args['database-url'];
const SCHEMA_PREFIX = `bench${randomBytes(4).toString('hex')}_`;
SETTINGS.auth.database = DATABASE_URL ? `PostgreSQL at ${new URL(DATABASE_URL).host} (its server processes' CPU counted apart)` : 'embedded PGlite';
const PROFILED = new Set(
  args.profile
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const RESULTS = join(ROOT, 'bench', 'results');
const STAMP = new Date().toISOString().replace(/:/g, '-').replace(/\..+/, '');
const ISSUER = 'http://gatehouse.bench';
const PATH = '/users/me';

// The goals, each a ratio in one run on one machine with the same tokens. `floor`: the fastest
// Node proxy (node:http + undici, nothing else); the peers' rows come from wrk (bench/peers.js).
const GOALS = [
  { id: '4/2', label: 'jwt route / Node floor', min: 0.6, overFloor: '4' },
  { id: '6/2', label: 'default pipeline / Node floor', min: 0.55, overFloor: '6' },
  { id: 'jwt/haproxy1', label: 'jwt route / HAProxy jwt_verify, one thread (wrk)', min: 0.5 },
  { id: 'jwt/express', label: "jwt route / the seed's Express gateway (wrk)", min: 6 },
  { id: 'p99+', label: 'p99 of 4 over the floor at half of 4 (ms)', max: 2 },
  { id: '5/4', label: 'never-seen tokens / jwt route', min: 0.7 },
  { id: 'cpu4', label: 'server CPU per request in 4 (µs)', max: 150 },
  { id: 'login/argon2', label: 'password logins / argon2id rate', min: 0.9 },
  { id: 'cc/core', label: 'client_credentials per second per core', min: 1000 },
];

const log = (line = '') => process.stdout.write(`${line}\n`);

function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    openssl: process.versions.openssl,
    autocannon: require('autocannon/package.json').version,
    loadAverageAtStart: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

async function post(url, form, headers = {}) {
  const answer = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: answer.status, body: await answer.json().catch(() => undefined) };
}

const basic = (id, secret) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** The servers: echo upstream, bare proxy, auth, the gateway (scenarios 3-5) and the default one (6). */
async function startServers(work) {
  const secrets = {
    BENCH_CLI_SECRET: randomBytes(24).toString('base64url'),
    BENCH_SERVICE_SECRET: randomBytes(24).toString('base64url'),
    GATEWAY_CLIENT_SECRET: randomBytes(24).toString('base64url'),
    INTERNAL_KEYS_ENCRYPTION_SECRET: randomBytes(32).toString('base64url'),
    BENCH_PASSWORD: `Bench ${randomBytes(12).toString('base64url')} passphrase`,
  };
  const bootstrap = join(work, 'bootstrap.yaml');
  writeFileSync(
    bootstrap,
    `tenants:
  - { id: bench, name: Bench, plan: pro }
clients:
  - clientId: bench-cli
    tenant: bench
    secret: \${BENCH_CLI_SECRET}
    grantTypes: [password, refresh_token, client_credentials]
    scopes: [orders:read, orders:write, profile]
    firstParty: true
  - clientId: bench-service
    secret: \${BENCH_SERVICE_SECRET}
    grantTypes: [client_credentials]
    scopes: [users:read]
    audience: users
  - clientId: gateway
    secret: \${GATEWAY_CLIENT_SECRET}
    grantTypes: [client_credentials]
    scopes: []
    introspect: true
users:
  - { tenant: bench, username: ada, email: ada@bench.test, password: \${BENCH_PASSWORD}, roles: [admin] }
`,
  );
  // Scenarios 3-5: a public route, and a jwt route that passes the caller's token on as sent
  // (propagation pass-through): proxy plus verification, nothing else.
  const routes = join(work, 'routes.yaml');
  writeFileSync(
    routes,
    `routes:
  - { prefix: /public, upstream: USERS_URL, auth: public, stripPrefix: true }
  - { prefix: /verified, upstream: USERS_URL, auth: jwt, propagation: pass-through, stripPrefix: true }
`,
  );
  const logFd = (name) => (args.logs ? openSync(join(RESULTS, 'logs', `${STAMP}-${name}.log`), 'w') : 'ignore');
  if (args.logs) mkdirSync(join(RESULTS, 'logs'), { recursive: true });
  const profDir = join(RESULTS, 'profiles');
  if (args['cpu-prof'] || PROFILED.size) mkdirSync(profDir, { recursive: true });
  const gatewayArgv = [...SETTINGS.gatewayFlags, ...(args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [])];

  const [upstream, authPort, ...tcp] = await Promise.all([
    startChild('upstream', 'upstream', {}, { logFd: logFd('upstream') }),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const bare = await startChild('bare-proxy', 'bare-proxy', { upstream: upstream.url }, { logFd: logFd('bare-proxy') });
  const common = {
    HOST: '127.0.0.1',
    AUTH_ISSUER: ISSUER,
    AUTH_PORT: String(authPort),
    AUTH_TCP_PORT: String(tcp[0]),
    USERS_TCP_PORT: String(tcp[1]),
    ORDERS_TCP_PORT: String(tcp[2]),
    DATA_DIR: join(work, 'data'),
  };
  const auth = await startChild(
    'auth',
    'auth',
    {
      env: {
        ...common,
        NODE_ENV: SETTINGS.auth.NODE_ENV,
        LOG_LEVEL: SETTINGS.auth.LOG_LEVEL,
        SIGNING_ALG: SETTINGS.signingAlg,
        BOOTSTRAP_FILE: bootstrap,
        // The login scenario signs one user in from one address thousands of times: measured, never refused.
        LOGIN_IP_LIMIT: '999999999',
        LOGIN_PAIR_LIMIT: '999999999',
        ...secrets,
        ...(DATABASE_URL ? { DATABASE_URL, DATABASE_SCHEMA_PREFIX: SCHEMA_PREFIX } : {}),
      },
    },
    { logFd: logFd('auth'), env: { NODE_ENV: SETTINGS.auth.NODE_ENV } },
  );
  const gatewayEnv = async (extra) => ({
    ...common,
    ...SETTINGS.gateway,
    GATEWAY_PORT: String(await freePort()),
    AUTH_INTERNAL_URL: auth.url,
    USERS_URL: upstream.url,
    ORDERS_URL: upstream.url,
    GATEWAY_CLIENT_SECRET: secrets.GATEWAY_CLIENT_SECRET,
    // Production refuses to start without it; both gateways share the data folder and so their keys.
    INTERNAL_KEYS_ENCRYPTION_SECRET: secrets.INTERNAL_KEYS_ENCRYPTION_SECRET,
    // Plain HTTP on loopback, as behind a load balancer that terminates TLS (production needs one or the other).
    TLS_TERMINATED_UPSTREAM: 'true',
    ...extra,
  });
  const throttler = { ...THROTTLER_ENV, ...parseEnvList(process.env.BENCH_THROTTLER_ENV) };
  const gateway = await startChild(
    'gateway',
    'gateway',
    { env: await gatewayEnv({ GATEWAY_ROUTES_FILE: routes, ...throttler }) },
    { execArgv: gatewayArgv, logFd: logFd('gateway'), env: { NODE_ENV: 'production' } },
  );
  // Scenario 6: the shipped routes file and every default (internal-token propagation), with
  // limits the bench cannot reach.
  const full = await startChild(
    'gateway-default',
    'gateway',
    { env: await gatewayEnv({ GATEWAY_ROUTES_FILE: join(ROOT, 'config', 'gateway.routes.yaml'), ...throttler }) },
    { execArgv: gatewayArgv, logFd: logFd('gateway-default'), env: { NODE_ENV: 'production' } },
  );
  return { upstream, bare, auth, gateway, full, secrets, throttler, gatewayEnv, routes };
}

function parseEnvList(text) {
  const env = {};
  for (const pair of (text ?? '').split(',').filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at > 0) env[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return env;
}

/** One request down each path, checking what reaches the upstream. */
async function sanityCheck(s, token) {
  const get = async (url) => {
    const answer = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = await answer.json().catch(() => ({}));
    if (answer.status !== 200) throw new Error(`sanity check: ${url} answered ${answer.status} ${JSON.stringify(body)}`);
    return body.headers ?? {};
  };
  const direct = await get(`${s.upstream.url}/users/__headers`);
  const bare = await get(`${s.bare.url}/users/__headers`);
  const pub = await get(`${s.gateway.url}/public/users/__headers`);
  const verified = await get(`${s.gateway.url}/verified/users/__headers`);
  const full = await get(`${s.full.url}/users/__headers`);
  const bearer = `Bearer ${token}`;
  const internal = typeof full.authorization === 'string' ? JSON.parse(Buffer.from(full.authorization.slice(7).split('.')[0], 'base64url').toString()) : {};
  const checks = [
    [direct.authorization === bearer, 'upstream sees the token'],
    [bare.authorization === bearer, 'the bare proxy passes the token on'],
    [pub.authorization === bearer, 'a public route passes the token on untouched'],
    [verified.authorization === bearer && Boolean(verified['x-request-id']), 'the jwt route (pass-through) passes the verified token on'],
    [internal.typ === 'gh-internal+jwt', 'the default pipeline sends an internal token'],
  ];
  for (const [ok, what] of checks) if (!ok) throw new Error(`sanity check failed: ${what}`);
}

/** Every server of the run, for the CPU accounting of each window. */
let CHILDREN = [];

/**
 * A measured window: the load, and at its edges the CPU time of every server (its own
 * process.cpuUsage()), of this process (the load generator) and of the whole machine, so that
 * what else ran meanwhile shows ("other" cores).
 */
async function measure(id, server, load, { profile = false } = {}) {
  if (profile) await server.call('profile-start', { intervalMicros: 500 });
  const snapshot = async () => ({
    children: await Promise.all(CHILDREN.map((child) => child.call('usage'))),
    self: process.cpuUsage(),
    database: DATABASE_URL ? processGroupMicros('postgres') : undefined,
    machine: machineMicros(),
  });
  await server.call('loop-reset');
  const before = await snapshot();
  const t0 = performance.now();
  const result = await load();
  const wall = (performance.now() - t0) / 1000;
  const after = await snapshot();
  result.serverLoop = await server.call('loop');
  const micros = (a, b) => a.user + a.system - (b.user + b.system);
  const cpu = Object.fromEntries(CHILDREN.map((child, i) => [child.name, micros(after.children[i], before.children[i])]));
  cpu['load generator'] = micros(after.self, before.self);
  if (after.database !== undefined) cpu.database = after.database - before.database;
  const mine = Object.values(cpu).reduce((a, b) => a + b, 0);
  result.wall = wall;
  result.rps = result.responses / wall;
  result.server = server.name;
  result.cpuPerRequest = result.responses ? cpu[server.name] / result.responses : NaN;
  result.upstreamCpuPerRequest = result.responses ? cpu.upstream / result.responses : NaN;
  if (cpu.database !== undefined) result.databaseCpuPerRequest = result.responses ? cpu.database / result.responses : NaN;
  result.cores = Object.fromEntries(Object.entries(cpu).map(([name, us]) => [name, us / 1e6 / wall]));
  result.otherCores = after.machine === undefined ? null : Math.max(0, (after.machine.busy - before.machine.busy - mine) / 1e6 / wall);
  result.stolenCores = after.machine === undefined ? null : (after.machine.steal - before.machine.steal) / 1e6 / wall;
  result.serverRss = after.children[CHILDREN.indexOf(server)].rss;
  if (profile) {
    const file = join(RESULTS, 'profiles', `${STAMP}-scenario-${id}-${server.name}.cpuprofile`);
    await server.call('profile-stop', { file });
    result.profile = { file, summary: summarize(JSON.parse(readFileSync(file, 'utf8'))) };
  }
  return result;
}

/** More than this share of a core used by anything but the bench during a window disturbs it. */
const DISTURBANCE = 0.15;
const disturbance = (result) => Math.max(result.otherCores ?? 0, result.stolenCores ?? 0);

/** Until the machine is quiet (at most `limitMs`): busy cores other than the idle bench servers. */
async function waitForQuiet(limitMs = 30_000) {
  const start = performance.now();
  while (performance.now() - start < limitMs) {
    const busy = await sampleBusyCores(1000);
    if (busy === undefined || busy < DISTURBANCE) return;
  }
}

/**
 * Runs `attempt` and, in a full run, again (after waiting for quiet) while another job on the
 * machine took more than DISTURBANCE of a core during the window: up to 3 attempts, keeping the
 * least disturbed. The report names the windows that stayed disturbed.
 */
let retryBudgetMs = 90_000;
async function leastDisturbed(attempt, maxAttempts = 3) {
  const attempts = QUICK ? 1 : maxAttempts;
  let best;
  for (let i = 1; i <= attempts; i++) {
    const start = performance.now();
    const result = await attempt();
    result.attempts = i;
    if (!best || disturbance(result) < disturbance(best)) best = { ...result, attempts: i };
    if (disturbance(result) <= DISTURBANCE || i === attempts || retryBudgetMs <= 0) break;
    process.stdout.write(`disturbed (${disturbance(result).toFixed(2)} cores of other work), again ... `);
    await waitForQuiet();
    // Retries, waits included, get 90 s in all, so a machine that stays busy cannot stretch the run.
    retryBudgetMs -= performance.now() - start;
  }
  return best;
}

/**
 * A closed-loop throughput window: warm-up, then the measured window (scenario 7, and each round
 * of scenarios 1-6). `requests` is autocannon's request list; `prepare`, when given, runs before
 * each attempt (scenario 5 signs its never-seen tokens there).
 */
async function throughput(
  id,
  title,
  server,
  url,
  requests,
  {
    connections = SETTINGS.connections,
    expect2xx = true,
    maxAttempts = 3,
    warmupSeconds = SETTINGS.warmupSeconds,
    seconds = SETTINGS.seconds,
    prepare,
    profile = PROFILED.has(String(id)),
  } = {},
) {
  process.stdout.write(`  ${id}. ${title} ... `);
  const result = await leastDisturbed(async () => {
    await prepare?.();
    if (warmupSeconds > 0) await hammer({ url, connections, seconds: warmupSeconds, requests });
    return measure(id, server, () => hammer({ url, connections, seconds, requests }), { profile });
  }, maxAttempts);
  Object.assign(result, { id: String(id), title, connections, expect2xx });
  log(`${Math.round(result.rps)} req/s, p99 ${result.latency.p99.toFixed(2)} ms, ${Math.round(result.cpuPerRequest)} µs CPU/req`);
  return result;
}

/**
 * Scenarios 1-6 run in rounds (3 in a full run): each round runs every scenario once, in order, so
 * whatever slows the machine for a while (a neighbour, the host) spreads over all of them instead
 * of landing on one, and the ratios between them hold. The first round warms up for the full
 * warm-up, later ones for a second. A scenario's figures add its rounds up: requests over time,
 * CPU time over requests, percentiles over every latency of every round.
 */
async function inRounds(specs) {
  const rounds = QUICK ? 1 : ROUNDS;
  const parts = {};
  for (let round = 1; round <= rounds; round++) {
    if (rounds > 1) log(`  round ${round} of ${rounds}:`);
    for (const spec of specs) {
      const part = await throughput(spec.id, spec.title, spec.server, spec.url, spec.requests, {
        warmupSeconds: round === 1 ? SETTINGS.warmupSeconds : Math.min(1, SETTINGS.warmupSeconds),
        seconds: SETTINGS.seconds / rounds,
        prepare: spec.prepare && (() => spec.prepare(round === 1 ? SETTINGS.warmupSeconds : Math.min(1, SETTINGS.warmupSeconds), SETTINGS.seconds / rounds)),
        maxAttempts: spec.maxAttempts,
        profile: PROFILED.has(spec.id) && round === rounds,
      });
      (parts[spec.id] ??= []).push(part);
      await spec.after?.(part);
    }
  }
  return Object.fromEntries(specs.map((spec) => [spec.id, combine(parts[spec.id])]));
}

function combine(parts) {
  const sum = (f) => parts.reduce((total, part) => total + f(part), 0);
  const responses = sum((p) => p.responses);
  const wall = sum((p) => p.wall);
  const perRequest = (key) => sum((p) => (p[key] ?? NaN) * p.responses) / responses;
  const overTime = (f) => (parts.some((p) => f(p) === null || f(p) === undefined) ? null : sum((p) => f(p) * p.wall) / wall);
  const status = {};
  for (const part of parts) for (const [code, n] of Object.entries(part.status)) status[code] = (status[code] ?? 0) + n;
  const latencies = new Float64Array(sum((p) => p.raw.length));
  let at = 0;
  for (const part of parts) {
    latencies.set(part.raw, at);
    at += part.raw.length;
  }
  const last = parts[parts.length - 1];
  return {
    ...last,
    raw: undefined,
    responses,
    ok: sum((p) => p.ok),
    non2xx: sum((p) => p.non2xx),
    errors: sum((p) => p.errors),
    timeouts: sum((p) => p.timeouts),
    status,
    wall,
    rps: responses / wall,
    latency: percentiles(latencies),
    cpuPerRequest: perRequest('cpuPerRequest'),
    upstreamCpuPerRequest: perRequest('upstreamCpuPerRequest'),
    ...(last.databaseCpuPerRequest !== undefined ? { databaseCpuPerRequest: perRequest('databaseCpuPerRequest') } : {}),
    cores: Object.fromEntries(Object.keys(last.cores).map((name) => [name, overTime((p) => p.cores[name])])),
    otherCores: overTime((p) => p.otherCores),
    stolenCores: overTime((p) => p.stolenCores),
    serverLoop: {
      utilization: overTime((p) => p.serverLoop.utilization),
      delayP50: overTime((p) => p.serverLoop.delayP50),
      delayP99: Math.max(...parts.map((p) => p.serverLoop.delayP99)),
      delayMax: Math.max(...parts.map((p) => p.serverLoop.delayMax)),
    },
    rounds: parts.map((p) => ({ rps: p.rps, cpuPerRequest: p.cpuPerRequest, p99: p.latency.p99, otherCores: p.otherCores, attempts: p.attempts })),
    profile: parts.find((p) => p.profile)?.profile,
  };
}

/** An open-loop run at `rate` (see paced()), after a warm-up at the same rate. */
async function fixedRate(id, title, server, url, path, rate, headersFor) {
  process.stdout.write(`  ${id}. ${title} at ${rate} req/s ... `);
  const result = await leastDisturbed(async () => {
    await paced({ url, path, rate, seconds: SETTINGS.pacedWarmupSeconds, headersFor, connections: SETTINGS.pacedConnections });
    return measure(id, server, () => paced({ url, path, rate, seconds: SETTINGS.pacedSeconds, headersFor, connections: SETTINGS.pacedConnections }));
  });
  Object.assign(result, { id: String(id), title, connections: SETTINGS.pacedConnections, expect2xx: true });
  log(
    `${Math.round(result.rps)} req/s, p50 ${result.latency.p50.toFixed(3)} ms, p99 ${result.latency.p99.toFixed(3)} ms${result.saturated ? ' (SATURATED: the server fell a second behind; stopped)' : ''}`,
  );
  return result;
}

function problemsOf(result) {
  const problems = [];
  if (result.skipped) return problems;
  if (result.errors) problems.push(`${result.errors} errors`);
  if (result.timeouts) problems.push(`${result.timeouts} timeouts`);
  if (result.expect2xx && result.non2xx) problems.push(`${result.non2xx} non-2xx (${JSON.stringify(result.status)})`);
  if (result.responses === 0) problems.push('no responses');
  // A repeated token makes scenario 5's figure partly a cache hit: a fault in a full run; the quick
  // run judges no figure, so there it is only named (see the note under the table).
  if (result.tokensRepeated && !QUICK) problems.push('ran out of never-seen tokens (some were sent twice)');
  return problems;
}

async function main() {
  mkdirSync(RESULTS, { recursive: true });
  const info = machine();
  log(`Gatehouse bench (${SETTINGS.mode}) on ${info.cores} cores (${info.cpu}), Node ${info.node}, OpenSSL ${info.openssl}`);
  const busy = await sampleBusyCores(1000);
  info.busyCoresBeforeStart = busy ?? null;
  if (busy !== undefined && busy > 0.25) {
    log(
      `WARNING: ${busy.toFixed(2)} cores were busy with other work before the bench started: figures taken meanwhile are disturbed (see the "other" column).`,
    );
  }
  const work = mkdtempSync(join(os.tmpdir(), 'gatehouse-bench-'));
  let servers;
  try {
    log('Starting the upstream, the bare proxy, auth and two gateways...');
    servers = await startServers(work);
    const { upstream, bare, auth, gateway, full, secrets, throttler } = servers;
    CHILDREN = [upstream, bare, auth, gateway, full];

    // A real login, whose token's claims every bench token copies.
    const login = await post(
      `${auth.url}/oauth/token`,
      { grant_type: 'password', username: 'ada', password: secrets.BENCH_PASSWORD, scope: 'orders:read orders:write profile' },
      { authorization: basic('bench-cli', secrets.BENCH_CLI_SECRET) },
    );
    if (login.status !== 200) throw new Error(`login for the token template failed: ${login.status} ${JSON.stringify(login.body)}`);
    const template = decodePayload(login.body.access_token);
    const signer = await auth.call('signing-key');
    const tokens = await mintTokens(signer, template, SETTINGS.rotatingTokens, { lifetimeSeconds: SETTINGS.tokenLifetimeSeconds });
    await sanityCheck(servers, tokens[0]);

    const throttlerNames = Object.keys(throttler);
    const lookalikes = (full.info.settings ?? []).filter((name) => /THROTTL|RATE_?LIMIT/i.test(name));
    const throttlerNote = throttlerNames.length
      ? `throttler settings of the gateways: ${throttlerNames.map((name) => `${name}=${throttler[name]}`).join(', ')}`
      : lookalikes.length
        ? `scenario 6 runs the gateway's throttler-like settings (${lookalikes.join(', ')}) at their defaults; set THROTTLER_ENV in bench/run.js if they must be turned on`
        : 'THE THROTTLER IS NOT BUILT YET: scenario 6 runs internal-token propagation without it (see THROTTLER_ENV in bench/run.js)';
    log(`Note: ${throttlerNote}`);

    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idle = { gateway: await gateway.call('usage'), 'gateway-default': await full.call('usage'), auth: await auth.call('usage') };

    log(
      `Scenarios (${SETTINGS.connections} connections, ${SETTINGS.warmupSeconds} s warm-up, ${SETTINGS.seconds} s measured${QUICK ? '' : ` in ${ROUNDS} rounds`}):`,
    );
    const rotating = (prefix = '') => requestSource({ path: `${prefix}${PATH}`, tokens });
    // Scenario 5: a token never seen before on every request, warm-up included, signed before each
    // window for the rate scenario 4 reached, with room to spare; a token is never sent twice.
    const fresh = { tokens: [], next: 0, repeated: false, signed: 0 };
    const freshSource = [
      {
        method: 'GET',
        path: `/verified${PATH}`,
        setupRequest: (request) => {
          if (fresh.next >= fresh.tokens.length) fresh.repeated = true;
          request.headers = { authorization: `Bearer ${fresh.tokens[fresh.next++ % fresh.tokens.length]}` };
          return request;
        },
      },
    ];
    let afterFour;
    const gatewayRates = [];
    const results = await inRounds([
      { id: '1', title: 'upstream, direct', server: upstream, url: upstream.url, requests: rotating() },
      { id: '2', title: 'Node floor (node:http + undici, nothing else)', server: bare, url: bare.url, requests: rotating() },
      {
        id: '3',
        title: 'gateway, public route',
        server: gateway,
        url: gateway.url,
        requests: rotating('/public'),
        after: async (part) => gatewayRates.push(part.rps),
      },
      {
        id: '4',
        title: `gateway, jwt route, ${tokens.length} tokens in rotation`,
        server: gateway,
        url: gateway.url,
        requests: rotating('/verified'),
        after: async (part) => {
          gatewayRates.push(part.rps);
          // Memory after scenario 4: after its first round, before scenario 5 fills the cache.
          afterFour ??= { gateway: await gateway.call('usage'), auth: await auth.call('usage') };
        },
      },
      { id: '6', title: 'gateway, default pipeline (internal token), tokens in rotation', server: full, url: full.url, requests: rotating() },
      {
        id: '5',
        title: 'gateway, jwt route, a never-seen token per request',
        server: gateway,
        url: gateway.url,
        requests: freshSource,
        maxAttempts: 2,
        prepare: async (warmupSeconds, seconds) => {
          // Scenario 5 does more than 3 and 4 per request: the fastest of their windows so far, with
          // room for the machine to speed up meanwhile, bounds what it can send.
          const rate = Math.max(...(gatewayRates.length ? gatewayRates : [1000]));
          const needed = Math.ceil(rate * (warmupSeconds + seconds) * 1.3) + 500;
          fresh.tokens = fresh.tokens.slice(fresh.next);
          fresh.next = 0;
          if (fresh.tokens.length >= needed) return;
          const start = performance.now();
          const more = await mintTokens(signer, template, needed - fresh.tokens.length, {
            lifetimeSeconds: SETTINGS.tokenLifetimeSeconds,
            from: tokens.length + fresh.signed,
          });
          fresh.signed += more.length;
          fresh.tokens = fresh.tokens.concat(more);
          process.stdout.write(`(${more.length} tokens signed in ${((performance.now() - start) / 1000).toFixed(1)} s) `);
        },
      },
    ]);
    results['5'].tokensRepeated = fresh.repeated;
    if (fresh.repeated && QUICK) log('  (scenario 5 ran out of never-seen tokens and sent some twice: its figure is partly cache hits)');
    results['5'].tokensSigned = fresh.signed;
    fresh.tokens = [];

    // The peers, under wrk, with the same tokens: a generator apart from autocannon, and the rows
    // the goals compare against (HAProxy, the seed's Express gateway).
    log('Peers (wrk, 1 thread, 50 connections, the same tokens in rotation):');
    const peers = await runPeers({
      upstream,
      floor: bare,
      gateway,
      full,
      tokens,
      signer,
      issuer: ISSUER,
      path: PATH,
      quick: QUICK,
      work,
      startChild: (name, role, options) => startChild(name, role, options),
      log,
    });

    // Added latency of 4 over 1 at a fixed rate, open loop: at half of scenario 1's rate (the
    // goal's definition), and at half of scenario 4's, the gateway's own half load.
    let turn = 0;
    const nextToken = () => ({ authorization: `Bearer ${tokens[turn++ % tokens.length]}` });
    const pair = async (suffix, rate, of) => {
      // A rate the gateway cannot carry measures a queue, not a latency: such a pair is not run.
      if (rate > 0.9 * results[4].rps) {
        const reason = `half of scenario ${of} (${rate} req/s) is above what the gateway carries (scenario 4: ${Math.round(results[4].rps)} req/s)`;
        log(`  1${suffix}/4${suffix}. fixed rate at ${rate} req/s: not run, ${reason}`);
        for (const id of [`1${suffix}`, `2${suffix}`, `4${suffix}`]) results[id] = { id, skipped: true, reason, targetRate: rate, expect2xx: true };
        return;
      }
      results[`1${suffix}`] = await fixedRate(`1${suffix}`, `upstream, direct, fixed rate (half of ${of})`, upstream, upstream.url, PATH, rate, nextToken);
      results[`2${suffix}`] = await fixedRate(`2${suffix}`, `Node floor, fixed rate (half of ${of})`, bare, bare.url, PATH, rate, nextToken);
      results[`4${suffix}`] = await fixedRate(
        `4${suffix}`,
        `gateway jwt route as 4, fixed rate (half of ${of})`,
        gateway,
        gateway.url,
        `/verified${PATH}`,
        rate,
        nextToken,
      );
    };
    await pair('h', Math.max(10, Math.floor(results[1].rps / 2)), 1);
    await pair('g', Math.max(10, Math.floor(results[4].rps / 2)), 4);

    // Scenario 7: the token endpoint, at the auth app directly.
    const ccSource = [
      {
        method: 'POST',
        path: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('bench-service', secrets.BENCH_SERVICE_SECRET) },
        body: 'grant_type=client_credentials&scope=users%3Aread',
      },
    ];
    results['7a'] = await throughput('7a', 'token endpoint, client_credentials', auth, auth.url, ccSource);
    const loginBody = new URLSearchParams({ grant_type: 'password', username: 'ada', password: secrets.BENCH_PASSWORD, scope: 'profile' }).toString();
    const loginSource = [
      {
        method: 'POST',
        path: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('bench-cli', secrets.BENCH_CLI_SECRET) },
        body: loginBody,
      },
    ];
    results['7b'] = await throughput('7b', 'token endpoint, password logins', auth, auth.url, loginSource, { connections: SETTINGS.loginConnections });
    process.stdout.write(`  7c. bare argon2id verify in the auth process, ${SETTINGS.argon2Concurrency} at a time ... `);
    const argon2 = await leastDisturbed(async () => {
      const run = await measure('7c', auth, async () => {
        const done = await auth.call('argon2', { ms: SETTINGS.argon2Seconds * 1000, concurrency: SETTINGS.argon2Concurrency });
        return { ...done, responses: done.verifies, ok: done.verifies, non2xx: 0, errors: done.failed, timeouts: 0, latency: {} };
      });
      return { ...run, rate: run.verifies / run.seconds };
    });
    log(`${argon2.rate.toFixed(1)} per second (${argon2.params})`);
    process.stdout.write(`  7d. bare ${SETTINGS.signingAlg} signature in the auth process, 8 at a time ... `);
    const signing = await auth.call('sign', { ms: SETTINGS.argon2Seconds * 1000, concurrency: 8 });
    log(`${Math.round(signing.rate)} per second, ${fmt.int(signing.cpuMicrosPerSignature)} µs CPU each`);

    // Scenario 8: revocation latency to both gateways under steady requests, and the check's cost.
    process.stdout.write(`  8a. revocation to both gateways, ${SETTINGS.revocations} revocations under steady requests ... `);
    const revocation = await revocationLatency({
      authUrl: auth.url,
      clientId: 'bench-cli',
      clientSecret: secrets.BENCH_CLI_SECRET,
      targets: [
        { name: 'gateway', url: gateway.url, path: `/verified${PATH}` },
        { name: 'gateway-default', url: full.url, path: PATH },
      ],
      count: SETTINGS.revocations,
    });
    log(
      `p50 ${fmt.int(revocation.all.p50)} ms, p99 ${fmt.int(revocation.all.p99)} ms, max ${fmt.int(revocation.all.max)} ms (goal: p99 <= 1000 ms; polled, no broker)`,
    );
    const checks = { empty: checkCost(0), loaded: checkCost(100_000) };
    const perRequestNs = results[4].cpuPerRequest * 1000;
    revocation.check = { ...checks, scenario4CpuNs: perRequestNs, ratio: perRequestNs / (perRequestNs + checks.loaded.nsPerCheck - checks.empty.nsPerCheck) };
    log(
      `  8b. revocation check: ${checks.empty.nsPerCheck.toFixed(0)} ns empty, ${checks.loaded.nsPerCheck.toFixed(0)} ns with ${fmt.int(checks.loaded.entries)} entries; scenario 4 with the list over without, from CPU per request: ${revocation.check.ratio.toFixed(4)} (goal >= 0.97)`,
    );
    // 8c: scenario 4 again once both gateways' lists hold SETTINGS.listedRevocations entries.
    await auth.call('revocations', { count: SETTINGS.listedRevocations });
    await untilListed([gateway, full], SETTINGS.listedRevocations);
    results['8c'] = await throughput('8c', `as 4, ${fmt.int(SETTINGS.listedRevocations)} revocations listed`, gateway, gateway.url, rotating('/verified'));
    revocation.listed = { entries: SETTINGS.listedRevocations, ratio: results['8c'].rps / results[4].rps };
    log(`      8c/4: ${revocation.listed.ratio.toFixed(3)} (goal >= 0.97; one window against scenario 4's rounds)`);

    const env9 = await servers.gatewayEnv({ GATEWAY_ROUTES_FILE: servers.routes, ...throttler });
    const workers = await workersScaling({
      env: env9,
      requests: rotating('/verified'),
      connections: SETTINGS.connections,
      warmupSeconds: SETTINGS.warmupSeconds,
      seconds: SETTINGS.seconds,
      log,
    });
    log(`      9: 2 workers over 1: ${workers.ratio.toFixed(2)} (the load generator shares the machine's cores)`);

    const report = { ...buildReport({ info, results, argon2, signing, idle, afterFour, throttlerNote, peers }), revocation, workers };
    printReport(report);
    writeFileSync(join(RESULTS, `bench-${STAMP}${QUICK ? '-quick' : ''}.json`), `${JSON.stringify(report, null, 2)}\n`);
    const markdown = renderMarkdown(report);
    writeFileSync(join(RESULTS, `bench-${STAMP}${QUICK ? '-quick' : ''}.md`), markdown);
    // A profiled run's figures are slowed by the profiler: they never become the latest ones.
    const profiled = PROFILED.size > 0 || args['cpu-prof'];
    if (!profiled) writeFileSync(join(RESULTS, QUICK ? 'latest-quick.md' : 'latest.md'), markdown);
    log(`Written: bench/results/bench-${STAMP}${QUICK ? '-quick' : ''}.json and .md`);
    if (args['write-docs']) {
      if (QUICK || profiled) log(`--write-docs ignored with ${QUICK ? '--quick' : 'a profiler'}: those figures are not figures.`);
      else writeDocs(markdown);
    }
    for (const result of Object.values(results)) {
      if (result.profile)
        log(
          `\n${formatSummary({ ...result.profile.summary, functions: result.profile.summary.functions.slice(0, 20), areas: result.profile.summary.areas.slice(0, 12) }, `Scenario ${result.id} profile (${result.profile.file.slice(ROOT.length + 1)})`)}`,
        );
    }
    if (report.problems.length) {
      log(`\nFAILED: ${report.problems.join('; ')}`);
      process.exitCode = 1;
    } else {
      log(QUICK ? '\nQuick run: every scenario ran with zero errors and zero unexpected non-2xx.' : '');
    }
  } finally {
    if (servers) {
      for (const child of [servers.full, servers.gateway, servers.auth, servers.bare, servers.upstream]) await child?.stop();
    }
    rmSync(work, { recursive: true, force: true });
    if (DATABASE_URL) await dropSchemas().catch((error) => log(`could not drop the bench's schemas (${SCHEMA_PREFIX}*): ${error.message}`));
  }
}

/** Waits until every gateway's revocation list holds at least `entries` entries (its /metrics). */
async function untilListed(gateways, entries, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (const gateway of gateways) {
    for (;;) {
      const text = await (await fetch(`${gateway.url}/metrics`)).text();
      const listed = Number(/^gatehouse_revocation_entries\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
      if (listed >= entries) break;
      if (Date.now() > deadline) throw new Error(`scenario 8c: ${gateway.name} lists ${listed} of ${entries} revocations after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The schemas auth created on PostgreSQL for this run. */
async function dropSchemas() {
  const { Client } = require('pg');
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${SCHEMA_PREFIX}%`]);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}

function buildReport({ info, results, argon2, signing, idle, afterFour, throttlerNote, peers }) {
  const r = (id) => results[id].rps;
  const peer = (id) => peers.rows.find((row) => row.id === id)?.rps ?? NaN;
  // A floor the gateway beats is not a floor: no ratio is printed over it.
  const floorBeaten = ['3', '4', '6'].filter((id) => r(id) > r(2));
  const overFloor = (id) => (floorBeaten.length ? NaN : r(id) / r(2));
  const ratios = {
    '4/3': r(4) / r(3),
    '5/4': r(5) / r(4),
    '4/2': overFloor(4),
    '6/2': overFloor(6),
    'jwt/haproxy1': peer('jwt') / peer('haproxy1'),
    'jwt/express': peer('jwt') / peer('express'),
    'login/argon2': r('7b') / argon2.rate,
  };
  const addedAt = (suffix, base = results[`1${suffix}`]) => {
    const gw = results[`4${suffix}`];
    const saturated = Boolean(base.saturated || gw.saturated || gw.skipped);
    return {
      rate: base.targetRate,
      saturated,
      ...(gw.skipped ? { notRun: gw.reason } : {}),
      p50: saturated ? Infinity : gw.latency.p50 - base.latency.p50,
      p99: saturated ? Infinity : gw.latency.p99 - base.latency.p99,
    };
  };
  const added = { halfOfScenario1: addedAt('h'), halfOfScenario4: addedAt('g'), overFloorAtHalfOf4: addedAt('g', results['2g']) };
  const ccPerCore = 1e6 / results['7a'].cpuPerRequest;
  const values = { ...ratios, cpu4: results[4].cpuPerRequest, 'p99+': added.overFloorAtHalfOf4.p99, 'cc/core': ccPerCore };
  // What the same run measured underneath a goal, where one exists: a goal beyond it cannot be met
  // by the gateway or the auth app, only by the machine.
  const floors = {
    '4/2': floorBeaten.length ? `REFUSED: the floor carried less than ${floorBeaten.join(', ')}` : `floor ${fmt.int(r(2))} req/s`,
    '6/2': floorBeaten.length ? 'REFUSED (as above)' : '',
    'jwt/haproxy1':
      peers.skipped && !peers.rows.length
        ? `not run: ${peers.skipped}`
        : Number.isNaN(peer('haproxy1'))
          ? 'HAProxy not installed'
          : `HAProxy ${fmt.int(peer('haproxy1'))} req/s`,
    'jwt/express': Number.isNaN(peer('express')) ? 'Express peer not installed' : `Express ${fmt.int(peer('express'))} req/s`,
    cpu4: `Node floor ${fmt.int(results[2].cpuPerRequest)} µs`,
    'p99+': `floor p99 ${fmt.ms(results['2g'].latency?.p99)} ms at ${fmt.int(added.overFloorAtHalfOf4.rate)} req/s`,
    'cc/core': `the ${signing.alg} signature alone: ${fmt.int(1e6 / signing.cpuMicrosPerSignature)} per core`,
  };
  const goals = GOALS.map((goal) => ({
    ...goal,
    value: values[goal.id],
    floor: floors[goal.id] ?? '',
    met: goal.min !== undefined ? values[goal.id] >= goal.min : values[goal.id] <= goal.max,
  }));
  const problems = Object.values(results).flatMap((result) => problemsOf(result).map((p) => `scenario ${result.id}: ${p}`));
  for (const row of peers.rows) if (row.errors || row.non2xx) problems.push(`peer ${row.label}: ${row.errors} errors, ${row.non2xx} non-2xx`);
  // The generator is the bottleneck when the upstream alone carries little more than a proxy.
  const direct = peers.rows.find((row) => row.id === 'direct');
  const proxied = Math.max(r(2), r(3), r(4), r(6));
  const generator = {
    autocannonHeadroom: r(1) / proxied,
    wrkHeadroom: direct ? direct.rps / Math.max(...peers.rows.filter((row) => row.id !== 'direct').map((row) => row.rps)) : NaN,
  };
  if (argon2.failed) problems.push(`argon2: ${argon2.failed} failed verifications`);
  const disturbed = Object.values(results)
    .filter((result) => result.otherCores > 0.15 || result.stolenCores > 0.15)
    .map((result) => result.id);
  const memory = (usage) => ({ rssMiB: usage.rss / 2 ** 20, heapUsedMiB: usage.heapUsed / 2 ** 20 });
  return {
    date: new Date().toISOString(),
    machine: info,
    settings: {
      ...SETTINGS,
      profiled: [...PROFILED],
      cpuProf: args['cpu-prof'],
      throttler: throttlerNote,
      propagation: { 3: 'public route (Authorization forwarded untouched)', 4: 'pass-through', 5: 'pass-through', 6: 'internal-token (default)' },
    },
    scenarios: Object.fromEntries(Object.entries(results).map(([id, result]) => [id, { ...result, raw: undefined }])),
    argon2,
    signing,
    ratios,
    addedLatency: added,
    peers,
    generator,
    clientCredentialsPerCore: ccPerCore,
    memory: {
      idle: { gateway: memory(idle.gateway), 'gateway-default': memory(idle['gateway-default']), auth: memory(idle.auth) },
      afterScenario4: { gateway: memory(afterFour.gateway), auth: memory(afterFour.auth) },
    },
    goals: QUICK ? goals.map((goal) => ({ ...goal, met: null })) : goals,
    disturbed,
    problems,
  };
}

const fmt = {
  int: (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : n === Infinity ? 'saturated' : 'n/a'),
  ms: (n) => (Number.isFinite(n) ? n.toFixed(2) : n === Infinity ? 'saturated' : 'n/a'),
  ms3: (n) => (Number.isFinite(n) ? n.toFixed(3) : n === Infinity ? 'saturated' : 'n/a'),
  ratio: (n) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a'),
  mib: (n) => `${Math.round(n)} MiB`,
  cores: (n) => (n === null || n === undefined ? 'n/a' : n.toFixed(2)),
};

const ORDER = ['1', '2', '3', '4', '5', '6', '7a', '7b', '1h', '2h', '4h', '1g', '2g', '4g', '8c'];
const SHORT = {
  1: 'upstream direct',
  2: 'Node floor (node:http + undici, nothing else)',
  3: 'gateway, public route',
  4: 'gateway, jwt, 1,000 tokens in rotation',
  5: 'gateway, jwt, never-seen token each time',
  6: 'gateway, default pipeline (internal token)',
  '7a': 'token endpoint, client_credentials',
  '7b': 'token endpoint, password logins',
  '1h': 'as 1, fixed rate: half of 1',
  '4h': 'as 4, fixed rate: half of 1',
  '1g': 'as 1, fixed rate: half of 4',
  '4g': 'as 4, fixed rate: half of 4',
  '2h': 'as 2, fixed rate: half of 1',
  '2g': 'as 2, fixed rate: half of 4',
  '8c': 'as 4, with revocations listed',
};

function rows(report) {
  return ORDER.map((id) => report.scenarios[id]).map((s) => {
    if (s.skipped) return [s.id, SHORT[s.id], `not run (${fmt.int(s.targetRate)} asked)`, '', '', '', '', '', '', '', ''];
    return [
      s.id,
      SHORT[s.id],
      `${fmt.int(s.rps)}${s.targetRate ? ` of ${fmt.int(s.targetRate)}${s.saturated ? ' (saturated)' : ''}` : ''}`,
      fmt.ms(s.latency.p50),
      fmt.ms(s.latency.p90),
      fmt.ms(s.latency.p99),
      String(s.errors + s.timeouts),
      String(s.non2xx),
      fmt.int(s.cpuPerRequest),
      s.server,
      fmt.cores(s.otherCores),
    ];
  });
}
const HEAD = ['#', 'scenario', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'errors', 'non-2xx', 'server CPU µs/req', 'server', 'other cores'];

function goalRows(report) {
  return report.goals.map((goal) => [
    goal.label,
    goal.min !== undefined ? `>= ${goal.min}` : `<= ${goal.max}`,
    goal.id === 'cpu4' || goal.id === 'cc/core'
      ? fmt.int(goal.value)
      : goal.id === 'p99+'
        ? report.addedLatency.overFloorAtHalfOf4.notRun
          ? 'rate not reachable'
          : fmt.ms3(goal.value)
        : fmt.ratio(goal.value),
    goal.met === null ? '(quick: not judged)' : goal.met ? 'met' : 'MISSED',
    goal.floor,
  ]);
}

function table(head, body) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => cells.map((cell, i) => (i <= 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function addedText(added) {
  return ['halfOfScenario1', 'halfOfScenario4']
    .map((key, i) => {
      const a = added[key];
      const outcome = a.notRun
        ? `not run: ${a.notRun}`
        : a.saturated
          ? 'saturated (the rate could not be carried)'
          : `p50 +${fmt.ms3(a.p50)} ms, p99 +${fmt.ms3(a.p99)} ms`;
      return `at ${fmt.int(a.rate)} req/s (half of ${i === 0 ? '1' : '4'}): ${outcome}`;
    })
    .join('; ');
}

function summaryLines(report) {
  const m = report.memory;
  const s = report.settings;
  return [
    `Bare argon2id verify in the auth process: ${report.argon2.rate.toFixed(1)}/s (${report.argon2.params}, ${s.argon2Concurrency} at a time, ${fmt.int(report.argon2.cpuMicrosPerVerify)} µs CPU each). Bare ${report.signing.alg} signature there: ${fmt.int(report.signing.rate)}/s (8 at a time, ${fmt.int(report.signing.cpuMicrosPerSignature)} µs CPU each).`,
    `Load generator headroom (upstream direct over the fastest proxied row): autocannon ${fmt.ratio(report.generator.autocannonHeadroom)}, wrk ${fmt.ratio(report.generator.wrkHeadroom)}${report.generator.autocannonHeadroom < 1.5 ? ' (LOW: the generator may be the bottleneck)' : ''}.`,
    `Ratios: 4/3 ${fmt.ratio(report.ratios['4/3'])}, 5/4 ${fmt.ratio(report.ratios['5/4'])}, 4/2 ${fmt.ratio(report.ratios['4/2'])}, 6/2 ${fmt.ratio(report.ratios['6/2'])}, login/argon2 ${fmt.ratio(report.ratios['login/argon2'])}; client_credentials ${fmt.int(report.clientCredentialsPerCore)} per second per core of auth CPU.`,
    `Added latency of 4 over 1, ${addedText(report.addedLatency)}; of 4 over the Node floor at half of 4: ${report.addedLatency.overFloorAtHalfOf4.saturated ? 'saturated' : `p50 +${fmt.ms3(report.addedLatency.overFloorAtHalfOf4.p50)} ms, p99 +${fmt.ms3(report.addedLatency.overFloorAtHalfOf4.p99)} ms`}.`,
    `Gateway event loop (how late it ran its timers, so stalls of its own): ${['4', '4g']
      .filter((id) => report.scenarios[id]?.serverLoop)
      .map((id) => {
        const loop = report.scenarios[id].serverLoop;
        return `in ${id} ${Math.round(loop.utilization * 100)}% busy, late by ${fmt.ms(loop.delayP99)} ms at p99, ${fmt.ms(loop.delayMax)} ms at most`;
      })
      .join('; ')}.`,
    ...(Number.isFinite(report.scenarios['7a'].databaseCpuPerRequest)
      ? [
          `PostgreSQL's own CPU per request (apart from auth's): client_credentials ${fmt.int(report.scenarios['7a'].databaseCpuPerRequest)} µs, password logins ${fmt.int(report.scenarios['7b'].databaseCpuPerRequest)} µs.`,
        ]
      : []),
    `Resident memory (RSS): gateway ${fmt.mib(m.idle.gateway.rssMiB)} idle, ${fmt.mib(m.afterScenario4.gateway.rssMiB)} after scenario 4; auth ${fmt.mib(m.idle.auth.rssMiB)} idle, ${fmt.mib(m.afterScenario4.auth.rssMiB)} after scenario 4; together ${fmt.mib(m.idle.gateway.rssMiB + m.idle.auth.rssMiB)} and ${fmt.mib(m.afterScenario4.gateway.rssMiB + m.afterScenario4.auth.rssMiB)}.`,
    `Note: ${s.throttler}.`,
    ...(report.disturbed.length
      ? [
          `DISTURBED: other work (or the hypervisor, steal) took more than 0.15 of a core during ${report.disturbed.join(', ')}; those figures are not trustworthy.`,
        ]
      : []),
  ];
}

const PEER_HEAD = ['target (wrk)', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx'];
const peerRows = (report) =>
  report.peers.rows.map((row) => [row.label, fmt.int(row.rps), fmt.ms(row.p50), fmt.ms(row.p99), String(row.errors), String(row.non2xx)]);

function printReport(report) {
  log('');
  log(table(HEAD, rows(report)));
  if (report.peers.rows.length) {
    log('');
    log(table(PEER_HEAD, peerRows(report)));
  }
  log('');
  for (const line of summaryLines(report)) log(line);
  log('');
  log(table(['goal', 'target', 'measured', '', 'floor in this run'], goalRows(report)));
}

function mdTable(head, body) {
  return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i <= 1 ? '---' : '---:')).join('|')}|`, ...body.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function renderMarkdown(report) {
  const { machine: m, settings: s } = report;
  return `${[
    `Measured ${report.date.slice(0, 16).replace('T', ' ')} UTC (${s.mode} run) on ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, OpenSSL ${m.openssl}, autocannon ${m.autocannon}. Load generator and servers share the machine, nothing pinned.`,
    '',
    `Settings: ${s.connections} connections (password logins ${s.loginConnections}), ${s.warmupSeconds} s warm-up then ${s.seconds} s measured per scenario; fixed-rate runs ${s.pacedWarmupSeconds} s + ${s.pacedSeconds} s open loop over up to ${s.pacedConnections} connections; access tokens ${s.signingAlg} with the claims of a real login; gateway ${Object.entries(
      s.gateway,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(
        ', ',
      )} (log lines to /dev/null)${s.gatewayFlags.length ? `, node ${s.gatewayFlags.join(' ')}` : ''}, every other setting at its default; propagation: 4 and 5 pass-through, 6 internal-token; the token endpoint is called at the auth app directly (NODE_ENV=${s.auth.NODE_ENV}, ${s.auth.database}).`,
    '',
    mdTable(HEAD, rows(report)),
    '',
    ...(report.peers.rows.length
      ? [
          `Peers under wrk (${report.peers.settings.generator}, ${report.peers.settings.rounds} × ${report.peers.settings.seconds} s, ${report.peers.settings.tokens} tokens in rotation; req/s the mean of the windows, p99 the worst):`,
          '',
          mdTable(PEER_HEAD, peerRows(report)),
          '',
        ]
      : [`Peers: ${report.peers.skipped ?? 'none'}.`, '']),
    ...summaryLines(report).flatMap((line) => [line, '']),
    mdTable(['goal', 'target', 'measured', '', 'floor in this run'], goalRows(report)),
  ].join('\n')}\n`;
}

const BEGIN = '<!-- bench:latest:begin (written by `npm run bench -- --write-docs`) -->';
const END = '<!-- bench:latest:end -->';

function writeDocs(markdown) {
  const file = join(ROOT, 'docs', 'PERFORMANCE.md');
  const text = readFileSync(file, 'utf8');
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) {
    log(`docs/PERFORMANCE.md has no ${BEGIN} ... ${END} section: not written.`);
    return;
  }
  writeFileSync(file, `${text.slice(0, begin + BEGIN.length)}\n${markdown}${text.slice(end)}`);
  log('Written: the figures section of docs/PERFORMANCE.md');
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

module.exports = { startServers, sanityCheck };
