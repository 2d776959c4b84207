import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthSettings } from '../auth.settings';
import { DEV_SECRET_FILE, devSecretFolder, loadOrCreateDevSecret } from './encryption-secret';

describe('the development encryption secret', () => {
  let folder: string;
  const warn = jest.fn();
  beforeEach(() => {
    folder = join(mkdtempSync(join(tmpdir(), 'gatehouse-secret-')), 'missing', 'auth');
    warn.mockReset();
  });
  afterEach(() => rmSync(join(folder, '..', '..'), { recursive: true, force: true }));

  it('refuses a file that holds no usable secret', () => {
    loadOrCreateDevSecret(folder, { warn });
    writeFileSync(join(folder, DEV_SECRET_FILE), 'too-short\n');
    expect(() => loadOrCreateDevSecret(folder, { warn })).toThrow(`${join(folder, DEV_SECRET_FILE)} does not hold a usable secret (at least 32 characters)`);
  });

  it('is generated once, owner-only, and logged by path, never by value', () => {
    const secret = loadOrCreateDevSecret(folder, { warn });
    const path = join(folder, DEV_SECRET_FILE);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(path, 'utf8')).toBe(`${secret}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(warn).toHaveBeenCalledWith({ path }, expect.stringContaining('KEYS_ENCRYPTION_SECRET is unset'));
    expect(JSON.stringify(warn.mock.calls)).not.toContain(secret);
    expect(loadOrCreateDevSecret(folder, { warn })).toBe(secret);
  });

  it('narrows a widened file mode back to owner-only', () => {
    loadOrCreateDevSecret(folder, { warn });
    chmodSync(join(folder, DEV_SECRET_FILE), 0o644);
    loadOrCreateDevSecret(folder, { warn });
    expect(statSync(join(folder, DEV_SECRET_FILE)).mode & 0o777).toBe(0o600);
  });

  it('lives beside the embedded database, or in DATA_DIR/auth on PostgreSQL', () => {
    const settings = Object.assign(new AuthSettings(), { DATA_DIR: '/var/gh' });
    expect(devSecretFolder(settings, { app: 'auth', layout: 'standalone', env: {} })).toBe('/var/gh/auth');
    expect(devSecretFolder(settings, { app: 'auth', layout: 'platform', env: {} })).toBe('/var/gh/platform');
    settings.DATABASE_URL = 'postgres://db/gatehouse';
    expect(devSecretFolder(settings, { app: 'auth', layout: 'platform', env: {} })).toBe('/var/gh/auth');
  });
});
