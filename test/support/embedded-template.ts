import { constants, cpSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EmbeddedDatabase } from '@gatehouse/persistence';

// Creating an embedded database runs PostgreSQL's initdb inside PGlite: 5 to 9 seconds, paid by
// every app every suite starts. A folder copied from one created once gives the same empty
// cluster (pgcrypto included) in well under a second. The template is kept per PGlite version.
function pgliteVersion(): string {
  let folder = dirname(require.resolve('@electric-sql/pglite'));
  while (!existsSync(join(folder, 'package.json'))) folder = dirname(folder);
  return (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string }).version;
}

async function template(): Promise<string> {
  const folder = join(tmpdir(), `gatehouse-test-pglite-${pgliteVersion()}`);
  if (existsSync(join(folder, 'PG_VERSION'))) return folder;
  // Built aside and renamed into place, so no run ever copies a half-made template.
  const building = `${folder}.${process.pid}.${Date.now()}`;
  const database = await EmbeddedDatabase.acquire(building);
  await database.release();
  try {
    renameSync(building, folder);
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  return folder;
}

// The folders under DATA_DIR that hold an embedded database: the apps with tables (the gateway
// has none), and the platform's shared one.
const DATABASE_FOLDERS = ['auth', 'users', 'orders', 'platform'];

/** Gives each embedded data folder under `dataDir` a copy of the template. */
export async function seedEmbeddedFolders(dataDir: string): Promise<void> {
  const source = await template();
  for (const name of DATABASE_FOLDERS) {
    cpSync(source, join(dataDir, name), { recursive: true, mode: constants.COPYFILE_FICLONE });
  }
}
