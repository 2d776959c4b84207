import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { eventually } from './support/http';
import { plainRequest } from './support/https';
import { createTestEnv, type TestEnv } from './support/test-env';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildIfStale } = require('../scripts/build-if-stale') as { buildIfStale(): void };

interface LogLine {
  msg?: string;
  pid?: number;
  worker?: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * GATEWAY_WORKERS=2: two worker processes answer on one port, a killed worker is replaced, and
 * SIGTERM to the primary stops every worker and exits 0. The gateway runs as its entry point runs
 * it, in a child process of its own.
 */
describe('gateway workers', () => {
  let testEnv: TestEnv;
  let child: ChildProcess;
  const lines: LogLine[] = [];
  const ready = () => lines.filter((line) => line.msg === 'worker ready');

  beforeAll(async () => {
    buildIfStale();
    testEnv = await createTestEnv();
    child = spawn(process.execPath, [join(__dirname, '..', 'bench', 'lib', 'clustered-gateway.js')], {
      env: { PATH: process.env.PATH, ...testEnv.env, GATEWAY_WORKERS: '2', LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete) if (line.startsWith('{')) lines.push(JSON.parse(line) as LogLine);
    });
    expect(await eventually(() => Promise.resolve(ready().length >= 2), 60_000)).toBe(true);
  }, 180_000);

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await testEnv?.cleanup();
  });

  const url = () => `http://127.0.0.1:${testEnv.env.GATEWAY_PORT}/health/live`;
  const workersAnswering = async (attempts: number): Promise<Set<number>> => {
    const seen = new Set<number>();
    for (let i = 0; i < attempts && seen.size < 2; i++) {
      const answer = await plainRequest(url(), 'GET', { connection: 'close' });
      expect(answer.status).toBe(200);
      seen.add((JSON.parse(answer.body) as { worker: number }).worker);
    }
    return seen;
  };

  it('two workers answer on one port', async () => {
    const pids = new Set(ready().map((line) => line.pid));
    expect(pids.size).toBe(2);
    expect(pids.has(child.pid)).toBe(false);
    expect((await workersAnswering(50)).size).toBe(2);
  });

  it('a worker that dies is replaced', async () => {
    const victim = ready()[0].pid as number;
    process.kill(victim, 'SIGKILL');
    expect(await eventually(() => Promise.resolve(lines.some((line) => line.msg === 'worker exited: replacing it' && line.pid === victim)), 10_000)).toBe(true);
    expect(await eventually(() => Promise.resolve(ready().length >= 3), 30_000)).toBe(true);
    expect((await workersAnswering(50)).size).toBe(2);
  }, 60_000);

  it('SIGTERM to the primary stops every worker and exits 0', async () => {
    const pids = ready().map((line) => line.pid as number);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
  }, 30_000);
});

describe('gateway workers that cannot start', () => {
  it('a start refused in the workers ends the primary with 1 and the block, no stack trace', async () => {
    buildIfStale();
    const testEnv = await createTestEnv();
    try {
      const routes = join(testEnv.dataDir, 'no-such-routes.yaml');
      const run = spawnSync(process.execPath, [join(__dirname, '..', 'bench', 'lib', 'clustered-gateway.js')], {
        env: { PATH: process.env.PATH, ...testEnv.env, GATEWAY_WORKERS: '2', LOG_LEVEL: 'info', LOG_FORMAT: 'json', GATEWAY_ROUTES_FILE: routes },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`\nGatehouse cannot start.\nGATEWAY_ROUTES_FILE ${routes}: no such file\n`);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await testEnv.cleanup();
    }
  }, 90_000);
});
