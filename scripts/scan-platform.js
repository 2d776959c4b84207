#!/usr/bin/env node
/**
 * The scan as an operator runs it, against the platform `npm start` runs: starts the built
 * platform on free ports and a fresh data folder, signs the demo admin in with the credentials
 * file it writes, runs `gatehouse scan` on the gateway, stops the platform. Exits with the
 * scan's code; `--results FILE` also writes the count of cases passed and failed (findings).
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { entry } = require('./build-if-stale');
const { freePort } = require('./free-port');

const root = resolve(__dirname, '..');
const resultsFile = process.argv.includes('--results') ? process.argv[process.argv.indexOf('--results') + 1] : undefined;

async function until(probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch((error) => (error.message === 'the platform exited' ? Promise.reject(error) : false))) return true;
    await new Promise((done) => setTimeout(done, 500));
  }
  return false;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-scan-'));
  const names = ['GATEWAY_PORT', 'AUTH_PORT', 'USERS_PORT', 'ORDERS_PORT', 'USERS_TCP_PORT', 'AUTH_TCP_PORT', 'ORDERS_TCP_PORT'];
  const ports = {};
  for (const name of names) ports[name] = String(await freePort());
  const gateway = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATA_DIR: dataDir, ...ports };
  const platform = spawn(process.execPath, [entry], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  let exited = false;
  platform.once('exit', () => (exited = true));
  try {
    const ready = await until(async () => {
      if (exited) throw new Error('the platform exited');
      return (await fetch(`${gateway}/health/ready`)).status === 200;
    }, 120_000);
    if (!ready) throw new Error(exited ? 'the platform exited before it was ready' : 'the platform was not ready within 120 s');
    const credentials = JSON.parse(readFileSync(join(dataDir, 'platform', 'bootstrap-credentials.json'), 'utf8'));
    const basic = Buffer.from(`demo-cli:${credentials.clients['demo-cli']}`).toString('base64');
    const form = new URLSearchParams({
      grant_type: 'password',
      username: credentials.admin.username,
      password: credentials.admin.password,
      scope: 'profile orders:read',
    });
    const answer = await fetch(`${gateway}/oauth/token`, { method: 'POST', headers: { authorization: `Basic ${basic}` }, body: form });
    const token = (await answer.json()).access_token;
    if (typeof token !== 'string') throw new Error(`no token from the platform: ${answer.status}`);
    // The token goes in by environment, never on a command line other processes can read.
    const scan = spawnSync(process.execPath, [join(root, 'bin/gatehouse.js'), 'scan', '--target', gateway, '--route', '/users/me', '--json'], {
      env: { ...process.env, GATEHOUSE_SCAN_TOKEN: token },
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    process.stderr.write(scan.stderr ?? '');
    const report = scan.status === 0 || scan.status === 1 ? JSON.parse(scan.stdout) : undefined;
    if (report) {
      for (const row of report.results.filter((result) => result.outcome === 'finding'))
        process.stdout.write(`finding: ${row.case}: expected ${row.expected}, got ${row.got}\n`);
      process.stdout.write(`gatehouse scan: ${report.results.length} cases, ${report.findings} findings, ${report.requests} requests\n`);
    }
    if (resultsFile) {
      const passed = report ? report.results.filter((result) => result.outcome === 'pass').length : 0;
      writeFileSync(resultsFile, JSON.stringify({ numPassedTests: passed, numFailedTests: report ? report.findings : 1, numRuntimeErrorTestSuites: 0 }));
    }
    return scan.status ?? 2;
  } finally {
    if (!exited) {
      platform.kill('SIGTERM');
      await new Promise((done) => platform.once('exit', done));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`scan-platform: ${error.message}\n`);
    if (resultsFile) writeFileSync(resultsFile, JSON.stringify({ numPassedTests: 0, numFailedTests: 1, numRuntimeErrorTestSuites: 0 }));
    process.exit(2);
  },
);
