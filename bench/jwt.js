'use strict';
/**
 * `npm run bench:jwt`: verify and sign, per algorithm, single thread, microseconds per token, for
 * what the gateway and the services use (Gatehouse's JwtVerifier on node:crypto, every algorithm
 * auth signs with; the verified-token cache) next to raw node:crypto (the floor), jose (what the
 * auth app signs with) and jsonwebtoken (what the seed's gateway used; no EdDSA), so a regression
 * in the verifier shows on its own, away from HTTP.
 *
 *   npm run bench:jwt                  about 40 s (each figure the median of 5 samples)
 *   npm run bench:jwt -- --quick       a few seconds: every case runs and verifies, figures rough
 */
const crypto = require('node:crypto');
const { mkdirSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { parseArgs } = require('node:util');
const { fromDist, ROOT } = require('./lib/dist');
const { machineMicros } = require('./lib/machine-cpu');
const { signJwt } = require('./lib/tokens');

// A bench-only dev dependency: the naive gateway's verifier, for comparison.
const jsonwebtoken = require('jsonwebtoken');

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, seconds: { type: 'string' } } });
const SECONDS = Number(args.seconds ?? (args.quick ? 0.2 : 1));
const ISSUER = 'http://gatehouse.bench';
const AUDIENCE = 'gatehouse-api';
const LEEWAY = 30;

/** Earlier figures, microseconds per token on the same kind of 2-core machine (Node 20, OpenSSL 3.0). */
const REFERENCE = {
  verify: {
    'node:crypto (floor)': { RS256: 26, ES256: 83, EdDSA: 122 },
    'jsonwebtoken, KeyObject': { RS256: 38, ES256: 95 },
    'jsonwebtoken, PEM string': { RS256: 212, ES256: 297 },
    'jose jwtVerify (async)': { RS256: 90, ES256: 150 },
    'gateway verified-token cache hit': { RS256: 3, ES256: 3 },
  },
  sign: { 'node:crypto (floor)': { RS256: 680, ES256: '33-55', EdDSA: 42 } },
};

/**
 * Runs `op` (sync or async) after a short warm-up, in 5 samples over SECONDS; microseconds per
 * call, the median sample's (a burst of other work on the machine moves one sample, not the figure).
 */
async function time(op) {
  const run = async (ms) => {
    let n = 0;
    const start = performance.now();
    // Batches of 16 between clock reads keep the clock out of the figure.
    while (performance.now() - start < ms) {
      for (let i = 0; i < 16; i++) {
        const result = op();
        if (result && typeof result.then === 'function') await result;
      }
      n += 16;
    }
    return ((performance.now() - start) * 1000) / n;
  };
  await run(Math.min(300, SECONDS * 300));
  const samples = [];
  for (let i = 0; i < 5; i++) samples.push(await run((SECONDS * 1000) / 5));
  return samples.sort((a, b) => a - b)[2];
}

function claims() {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: ISSUER,
    sub: crypto.randomUUID(),
    aud: AUDIENCE,
    exp: now + 600,
    iat: now,
    nbf: now,
    jti: crypto.randomUUID(),
    client_id: 'bench-cli',
    scope: 'orders:read orders:write profile',
    tenant_id: 'bench',
    roles: ['admin'],
    email: 'ada@bench.test',
    sid: crypto.randomUUID(),
  };
}

async function main() {
  const jose = await import('jose');
  const { generateSigningKey } = fromDist('apps/auth/src/keys/key-material');
  const { JwtVerifier } = fromDist('libs/security/src');
  const { REQUIRED_ACCESS_CLAIMS } = fromDist('libs/contracts/src');
  const { VerifiedTokenCache } = fromDist('apps/gateway/src/authn/verified-token-cache');

  const before = machineMicros();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const rows = [];
  const record = (kind, alg, name, micros) => {
    const reference = REFERENCE[kind][name]?.[alg];
    rows.push({ kind, alg, name, micros, reference });
    process.stdout.write(
      `  ${kind.padEnd(6)} ${alg.padEnd(5)} ${name.padEnd(46)} ${micros.toFixed(1).padStart(8)} µs${reference ? `   (reference ${reference})` : ''}\n`,
    );
  };

  process.stdout.write(
    `JWT micro-benchmark, single thread, ${SECONDS} s per case; Node ${process.version}, OpenSSL ${process.versions.openssl}, ${os.cpus().length} cores (${os.cpus()[0]?.model?.trim()})\n`,
  );
  process.stdout.write(`jsonwebtoken ${require('jsonwebtoken/package.json').version}, jose ${require('jose/package.json').version}\n\n`);

  for (const alg of ['RS256', 'ES256', 'EdDSA']) {
    // Keys exactly as the auth app makes them.
    const material = await generateSigningKey(alg);
    const { privateKey, publicKey, kid } = material;
    const header = { alg, typ: 'at+jwt', kid };
    const token = signJwt(header, claims(), privateKey);
    const pem = publicKey.export({ type: 'spki', format: 'pem' });
    const [h, p, s] = token.split('.');
    const input = Buffer.from(`${h}.${p}`);
    const hash = alg === 'EdDSA' ? null : 'sha256';
    const verifyKey = alg === 'ES256' ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey;
    const jwtOptions = { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE, clockTolerance: LEEWAY };

    // Every case must really verify before it is timed.
    const must = (ok, what) => {
      if (!ok) throw new Error(`${alg} ${what}: did not verify`);
    };
    must(crypto.verify(hash, input, verifyKey, Buffer.from(s, 'base64url')), 'node:crypto');
    record('verify', alg, 'node:crypto (floor)', await time(() => crypto.verify(hash, input, verifyKey, Buffer.from(s, 'base64url'))));
    record(
      'verify',
      alg,
      'node:crypto + decode header and payload',
      await time(() => {
        const [hh, pp, ss] = token.split('.');
        JSON.parse(Buffer.from(hh, 'base64url').toString());
        JSON.parse(Buffer.from(pp, 'base64url').toString());
        return crypto.verify(hash, Buffer.from(`${hh}.${pp}`), verifyKey, Buffer.from(ss, 'base64url'));
      }),
    );

    if (alg !== 'EdDSA') {
      // As the seed's gateway called it: jsonwebtoken.verify(token, key, options, callback).
      const viaPassport = (key) => {
        let claimsOut;
        jsonwebtoken.verify(token, key, jwtOptions, (error, decoded) => {
          if (error) throw error;
          claimsOut = decoded;
        });
        return claimsOut;
      };
      must(viaPassport(publicKey), 'jsonwebtoken');
      record('verify', alg, 'jsonwebtoken, KeyObject', await time(() => viaPassport(publicKey)));
      record('verify', alg, 'jsonwebtoken, PEM string', await time(() => viaPassport(pem)));
    }

    // The whole of Gatehouse's verifier: decode once, check-token-header, the key by issuer and
    // kid, the signature on node:crypto, iss/aud/exp/nbf, check-claims (the gateway's and the
    // services' path), synchronous with the key at hand.
    const jwksKey = { issuer: ISSUER, kid, alg, key: publicKey };
    const verifier = new JwtVerifier({
      keys: { peek: () => jwksKey, keyFor: () => Promise.resolve(jwksKey) },
      algorithms: [alg],
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: 'at+jwt',
      requiredClaims: REQUIRED_ACCESS_CLAIMS,
      leewaySeconds: LEEWAY,
    });
    must(verifier.verifyNow(token).claims.sub, 'JwtVerifier');
    record('verify', alg, 'Gatehouse JwtVerifier (libs/security)', await time(() => verifier.verifyNow(token)));

    const joseOptions = { issuer: ISSUER, audience: AUDIENCE, algorithms: [alg], typ: 'at+jwt', clockTolerance: LEEWAY };
    must((await jose.jwtVerify(token, publicKey, joseOptions)).payload.sub, 'jose');
    record('verify', alg, 'jose jwtVerify (async)', await time(() => jose.jwtVerify(token, publicKey, joseOptions)));

    // The gateway's answer for a token it has verified before: SHA-256 of the token, LRU lookup,
    // the same key object still served.
    const cache = new VerifiedTokenCache(10_000);
    cache.set(VerifiedTokenCache.digest(token), { principal: { expiresAt: Math.floor(Date.now() / 1000) + 600 }, issuer: ISSUER, kid, key: publicKey });
    must(
      cache.get(VerifiedTokenCache.digest(token), () => publicKey),
      'the verified-token cache',
    );
    record('verify', alg, 'gateway verified-token cache hit', await time(() => cache.get(VerifiedTokenCache.digest(token), () => publicKey)));

    const payload = claims();
    record('sign', alg, 'node:crypto (floor)', await time(() => signJwt(header, payload, privateKey)));
    if (alg !== 'EdDSA') {
      record(
        'sign',
        alg,
        'jsonwebtoken, KeyObject',
        await time(() => jsonwebtoken.sign(payload, privateKey, { algorithm: alg, header: { typ: 'at+jwt', kid } })),
      );
    }
    record('sign', alg, 'jose SignJWT (the auth app)', await time(() => new jose.SignJWT(payload).setProtectedHeader(header).sign(privateKey)));
    process.stdout.write('\n');
  }

  const busy = machineMicros();
  const otherCores =
    before && busy
      ? Math.max(0, (busy.busy - before.busy - (process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system)) / 1000 / (performance.now() - t0))
      : null;
  if (otherCores !== null && otherCores > 0.15)
    process.stdout.write(`NOTE: other work used ${otherCores.toFixed(2)} cores meanwhile; the medians resist it, but compare with care.\n`);
  const floor = (kind, alg) => rows.find((row) => row.kind === kind && row.alg === alg && row.name === 'node:crypto (floor)')?.micros;
  process.stdout.write('Verify, times the node:crypto floor:\n');
  for (const row of rows.filter((r) => r.kind === 'verify' && r.name !== 'node:crypto (floor)' && !r.name.includes('cache'))) {
    process.stdout.write(`  ${row.alg.padEnd(5)} ${row.name.padEnd(46)} ${(row.micros / floor('verify', row.alg)).toFixed(2).padStart(6)}x\n`);
  }
  const out = join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  const file = join(out, `jwt-${new Date().toISOString().replace(/:/g, '-').replace(/\..+/, '')}${args.quick ? '-quick' : ''}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, openssl: process.versions.openssl, cores: os.cpus().length, secondsPerCase: SECONDS, otherCores, rows }, null, 2)}\n`,
  );
  process.stdout.write(`Written: ${file.slice(ROOT.length + 1)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
