'use strict';
/**
 * Access tokens for the load: signed here with the auth app's own signing key (handed over by the
 * bench's auth process), with the claims of a real token that auth app issued, so the gateway
 * verifies exactly what it would in production. Raw node:crypto: no JOSE library between the
 * bench and the bytes. Large batches are signed on worker threads before a measured window.
 */
const { createPrivateKey, randomUUID, sign } = require('node:crypto');
const { cpus } = require('node:os');
const { join } = require('node:path');
const { Worker } = require('node:worker_threads');

const segment = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWS; ES256 signatures in the JOSE (r || s) form. */
function signJwt(header, payload, key) {
  const input = `${segment(header)}.${segment(payload)}`;
  const options = header.alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key;
  const signature = sign(header.alg === 'EdDSA' ? null : 'sha256', Buffer.from(input), options);
  return `${input}.${signature.toString('base64url')}`;
}

/** The claims of the i-th distinct caller, shaped like `template` (a token the auth app issued). */
function claimsFor(template, i, nowSeconds, lifetimeSeconds) {
  const claims = { ...template, sub: randomUUID(), jti: randomUUID(), iat: nowSeconds, nbf: nowSeconds, exp: nowSeconds + lifetimeSeconds };
  if (typeof template.email === 'string') claims.email = `user${i}@bench.test`;
  if (typeof template.sid === 'string') claims.sid = randomUUID();
  return claims;
}

/**
 * `count` distinct tokens. `signer`: `{ alg, kid, pem }`; `template`: the payload of a real token.
 * Batches of more than a few thousand are split over worker threads (one per core).
 */
async function mintTokens(signer, template, count, { lifetimeSeconds = 1800, from = 0 } = {}) {
  const workers = count >= 4000 ? Math.max(1, cpus().length) : 1;
  if (workers === 1) return mintHere(signer, template, count, lifetimeSeconds, from);
  const share = Math.ceil(count / workers);
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const n = Math.min(share, count - w * share);
      return n <= 0 ? Promise.resolve([]) : mintOnWorker({ signer, template, count: n, lifetimeSeconds, from: from + w * share });
    }),
  );
  return parts.flat();
}

function mintHere(signer, template, count, lifetimeSeconds, from) {
  const key = createPrivateKey(signer.pem);
  const header = { alg: signer.alg, typ: 'at+jwt', kid: signer.kid };
  const now = Math.floor(Date.now() / 1000);
  const tokens = new Array(count);
  for (let i = 0; i < count; i++) tokens[i] = signJwt(header, claimsFor(template, from + i, now, lifetimeSeconds), key);
  return tokens;
}

function mintOnWorker(job) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'tokens.js'), { workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`token worker exited with ${code}`)));
  });
}

const { isMainThread, parentPort, workerData } = require('node:worker_threads');
if (!isMainThread && workerData && parentPort) {
  const { signer, template, count, lifetimeSeconds, from } = workerData;
  parentPort.postMessage(mintHere(signer, template, count, lifetimeSeconds, from));
}

function decodePayload(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

module.exports = { signJwt, mintTokens, decodePayload, segment };
