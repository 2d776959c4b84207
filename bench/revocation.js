'use strict';
/**
 * Scenario 8, revocation: how long a revoked token stays accepted at every gateway, and what the
 * revocation check costs on the request path.
 *
 * 8a revokes client_credentials tokens at auth (`POST /oauth/revoke`) one after another while
 * steady requests with a token nobody revokes keep both gateways busy, and times each revoking
 * call's answer to the first refusal (401) at each gateway. The bench's gateways are separate
 * processes with no broker between them and auth, so what reaches them is the poll of the feed
 * (`REVOCATION_POLL_INTERVAL`, 1 s): the split-TCP figure, the slowest configuration.
 *
 * 8b times the check itself in this process, on the gateway's built RevocationList, empty and
 * with 100,000 entries, next to scenario 4's server CPU per request.
 */
const { fromDist } = require('./lib/dist');
const { percentiles } = require('./lib/load');

const basic = (id, secret) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const form = (fields) => new URLSearchParams(fields).toString();

async function clientToken(authUrl, authorization) {
  const answer = await fetch(`${authUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
    body: form({ grant_type: 'client_credentials', scope: 'profile' }),
  });
  const body = await answer.json();
  if (answer.status !== 200) throw new Error(`scenario 8: token endpoint answered ${answer.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

const statusOf = (target, token) =>
  fetch(`${target.url}${target.path}`, { headers: { authorization: `Bearer ${token}` } }).then(async (answer) => (await answer.arrayBuffer(), answer.status));

/** Milliseconds from `since` until `target` refuses `token`; every answer before must be 200. */
async function untilRefused(target, token, since, giveUpMs) {
  while (performance.now() - since < giveUpMs) {
    const status = await statusOf(target, token);
    if (status === 401) return performance.now() - since;
    if (status !== 200) throw new Error(`scenario 8: ${target.name} answered ${status} before refusing`);
  }
  throw new Error(`scenario 8: ${target.name} still accepted a revoked token after ${giveUpMs} ms`);
}

/** 8a. `targets`: [{ name, url, path }]; `count` revocations; `workers` steady requests. */
async function revocationLatency({ authUrl, clientId, clientSecret, targets, count, workers = 8 }) {
  const authorization = basic(clientId, clientSecret);
  const bystander = await clientToken(authUrl, authorization);
  let running = true;
  let steady = 0;
  const load = Array.from({ length: workers }, async (_, n) => {
    for (let i = n; running; i++) {
      const status = await statusOf(targets[i % targets.length], bystander);
      if (status !== 200) throw new Error(`scenario 8: the steady load was answered ${status}`);
      steady += 1;
    }
  });
  const delays = Object.fromEntries(targets.map((target) => [target.name, []]));
  try {
    for (let i = 0; i < count; i++) {
      const token = await clientToken(authUrl, authorization);
      for (const target of targets) if ((await statusOf(target, token)) !== 200) throw new Error(`scenario 8: ${target.name} refused a fresh token`);
      const revoked = await fetch(`${authUrl}/oauth/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
        body: form({ token }),
      });
      await revoked.arrayBuffer();
      if (revoked.status !== 200) throw new Error(`scenario 8: /oauth/revoke answered ${revoked.status}`);
      const since = performance.now();
      const measured = await Promise.all(targets.map((target) => untilRefused(target, token, since, 10_000)));
      targets.forEach((target, n) => delays[target.name].push(measured[n]));
    }
  } finally {
    running = false;
    await Promise.all(load);
  }
  const every = Object.values(delays).flat();
  return {
    count,
    steadyRequests: steady,
    all: percentiles(every),
    perGateway: Object.fromEntries(Object.entries(delays).map(([name, list]) => [name, percentiles(list)])),
  };
}

/** 8b. Nanoseconds per check of a principal the list does not hold, with `entries` entries loaded. */
function checkCost(entries, calls = 2_000_000) {
  const { RevocationList } = fromDist('apps/gateway/src/revocation/revocation-list');
  const list = new RevocationList(30);
  const until = Math.floor(Date.now() / 1000) + 600;
  for (let i = 0; i < entries; i++) {
    const kind = ['jti', 'jti', 'jti', 'sid', 'subject'][i % 5];
    list.apply({ seq: i + 1, kind, value: `${kind}-${i}-${'x'.repeat(24)}`, before: until - 600, until });
  }
  const principal = {
    kind: 'user',
    subject: 'subject-live',
    clientId: 'bench-cli',
    tenantId: 'bench',
    roles: [],
    scopes: [],
    sessionId: 'sid-live',
    tokenId: 'jti-live',
    issuedAt: until - 300,
    expiresAt: until,
  };
  let hits = 0;
  for (let i = 0; i < calls / 10; i++) if (list.revoking(principal)) hits++;
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) if (list.revoking(principal)) hits++;
  const ns = Number(process.hrtime.bigint() - started) / calls;
  if (hits) throw new Error('scenario 8b: a live principal was found revoked');
  return { entries: list.size, nsPerCheck: ns };
}

module.exports = { revocationLatency, checkCost };
