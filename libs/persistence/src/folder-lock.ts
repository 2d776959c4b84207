import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from '@gatehouse/config';

const LOCK_FILE = 'gatehouse.lock';

/** Raised when another live process already owns an embedded data folder. */
export class DataFolderInUseError extends StartupError {
  constructor(folder: string, pid: number) {
    super(
      `The data folder ${folder} is in use by another Gatehouse process (pid ${pid}). ` + 'Stop that process, or give this one its own folder with DATA_DIR.',
    );
    this.name = 'DataFolderInUseError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite has no lock of its own, and two processes writing one folder corrupt it. A lock file
 * holding the owner's pid is created exclusively; a lock left by a dead process is taken over.
 */
export function lockDataFolder(folder: string): () => void {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new DataFolderInUseError(folder, owner);
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not lock the data folder ${folder}`);
}
