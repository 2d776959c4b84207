import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFolderInUseError, lockDataFolder } from './folder-lock';

describe('lockDataFolder', () => {
  let folder: string;
  beforeEach(() => (folder = join(mkdtempSync(join(tmpdir(), 'gatehouse-lock-')), 'missing', 'parent')));
  afterEach(() => rmSync(join(folder, '..', '..'), { recursive: true, force: true }));

  it('creates a missing folder and holds a lock with this pid until released', () => {
    const release = lockDataFolder(folder);
    expect(readFileSync(join(folder, 'gatehouse.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(join(folder, 'gatehouse.lock'))).toBe(false);
  });

  it('refuses a folder that another live process holds, naming it', async () => {
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      lockDataFolder(folder)();
      writeFileSync(join(folder, 'gatehouse.lock'), String(other.pid));
      expect(() => lockDataFolder(folder)).toThrow(DataFolderInUseError);
      expect(() => lockDataFolder(folder)).toThrow(`pid ${other.pid}`);
    } finally {
      other.kill();
      await new Promise((resolve) => other.once('exit', resolve));
    }
  });

  it('takes over a lock whose owner is gone', async () => {
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => gone.once('exit', resolve));
    lockDataFolder(folder)();
    writeFileSync(join(folder, 'gatehouse.lock'), String(gone.pid));
    const release = lockDataFolder(folder);
    expect(readFileSync(join(folder, 'gatehouse.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });
});
