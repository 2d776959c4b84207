import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createTestEnv, REAL, type TestEnv } from './support/test-env';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildIfStale, entry } = require('../scripts/build-if-stale') as { buildIfStale(): void; entry: string };

const BANNER = 'Gatehouse is running.';
// util-linux's script(1) gives the platform a real terminal, as `npm start` in a shell has.
const SCRIPT = '/usr/bin/script';

interface Started {
  /** What the process wrote up to and including its banner, colours removed. */
  output: string;
}

/** Runs the built platform until it prints its banner, then stops it. */
async function startPlatform(env: Record<string, string>, terminal: boolean): Promise<Started> {
  const child: ChildProcess = terminal
    ? spawn(SCRIPT, ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(entry)}`, '/dev/null'], { env, detached: true })
    : spawn(process.execPath, [entry], { env, detached: true });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 90 s:\n${output}`)), 90_000);
      const take = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('Ctrl-C stops everything.')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', take);
      child.stderr?.on('data', take);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the platform exited (${code}):\n${output}`));
      });
    });
  } finally {
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
  // eslint-disable-next-line no-control-regex
  return { output: output.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '') };
}

const logLines = (output: string) =>
  output
    .slice(0, output.indexOf(BANNER))
    .split('\n')
    .filter((line) => line.trim() !== '');

/**
 * What a person sees on `npm start`: readable lines and a banner on a terminal, JSON lines for a
 * log pipeline otherwise, and `LOG_FORMAT` to choose.
 */
describe('the console of npm start', () => {
  let testEnv: TestEnv;
  const env = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...testEnv.env,
    LOG_LEVEL: 'info',
    NODE_ENV: 'development',
    ...extra,
  });

  beforeAll(async () => {
    buildIfStale();
    testEnv = await createTestEnv();
  }, 300_000);

  afterAll(async () => {
    await testEnv?.cleanup();
  });

  (existsSync(SCRIPT) ? it : it.skip)(
    'on a terminal: a few readable lines, then the banner with each address once and the credentials file',
    async () => {
      const { output } = await startPlatform(env(), true);
      const lines = logLines(output);
      expect(lines.length).toBeLessThan(25);
      for (const line of lines) expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] (INFO|WARN): (auth|users|orders|gateway|platform) /);
      const gateway = `http://127.0.0.1:${testEnv.env.GATEWAY_PORT}`;
      const banner = output.slice(output.indexOf(BANNER));
      expect(banner).toContain(`Public entry (gateway)   ${gateway}\n`);
      expect(banner).toContain(`API docs                 ${gateway}/docs\n`);
      expect(banner).toContain(`Metrics                  ${gateway}/metrics\n`);
      expect(banner).toContain(`Issuer                   ${testEnv.env.AUTH_ISSUER ?? gateway}\n`);
      expect(banner.match(new RegExp(`auth http://127\\.0\\.0\\.1:${testEnv.env.AUTH_PORT}`, 'g'))).toHaveLength(1);
      // Beside the embedded database, or in auth's own folder when the database is PostgreSQL.
      const credentials = `${testEnv.dataDir}/${REAL.postgres ? 'auth' : 'platform'}/bootstrap-credentials.json`;
      expect(banner).toContain(credentials);
      // The command reads the secrets from the file; no secret is on the screen.
      expect(banner).toContain(`-u "demo-cli:$(node -p "require('${credentials}').clients['demo-cli']")"`);
      expect(output).not.toMatch(/"(password|secret)"\s*:/);
    },
    120_000,
  );

  it('to a pipe: JSON lines, one object each, besides the banner', async () => {
    const { output } = await startPlatform(env(), false);
    const lines = logLines(output);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  }, 120_000);

  (existsSync(SCRIPT) ? it : it.skip)(
    'LOG_FORMAT=json on a terminal: JSON lines all the same',
    async () => {
      const { output } = await startPlatform(env({ LOG_FORMAT: 'json' }), true);
      for (const line of logLines(output)) expect(line.startsWith('{')).toBe(true);
    },
    120_000,
  );
});
