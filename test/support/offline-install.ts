import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

interface Lock {
  packages: Record<string, LockEntry>;
}

const WORKSPACE = join(__dirname, '../..');

/** Where Node would find `name` from the package at `from` (a lock key), in the workspace's tree. */
function locate(lock: Lock, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const key = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (lock.packages[key]) return key;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

/** The workspace's installed version of a package, to pin the fresh app's dependencies to it. */
export function workspaceVersion(name: string): string {
  const lock = JSON.parse(readFileSync(join(WORKSPACE, 'package-lock.json'), 'utf8')) as Lock;
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`${name} is not installed in the workspace`);
  return version;
}

/**
 * A package-lock.json for an app outside the workspace that depends on a packed tarball and on
 * packages the workspace has installed: every entry the app reaches, copied from the workspace's
 * lock with its resolved URL and integrity. `npm ci --offline` then installs it from npm's cache,
 * which the workspace's own install filled, with no registry request.
 */
export function writeOfflineLock(appDir: string, tarball: { path: string; relative: string }): void {
  const lock = JSON.parse(readFileSync(join(WORKSPACE, 'package-lock.json'), 'utf8')) as Lock;
  const app = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };
  const packed = JSON.parse(readFileSync(join(WORKSPACE, 'packages/resource/package.json'), 'utf8')) as LockEntry & { name: string };
  const packedKey = `node_modules/${packed.name}`;
  const packages: Record<string, LockEntry> = {
    '': { name: app.name, version: app.version, dependencies: app.dependencies },
    [packedKey]: {
      version: packed.version,
      resolved: `file:${tarball.relative}`,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball.path)).digest('base64')}`,
      dependencies: packed.dependencies,
      peerDependencies: packed.peerDependencies,
    },
  };
  const queue: [string, Record<string, string>][] = [
    ['', app.dependencies],
    [packedKey, { ...packed.dependencies, ...packed.peerDependencies }],
  ];
  while (queue.length > 0) {
    const [from, wanted] = queue.shift()!;
    for (const name of Object.keys(wanted)) {
      if (name === packed.name) continue;
      const key = locate(lock, from === packedKey ? '' : from, name);
      // Not installed: an optional dependency for another platform (a required one missing fails npm ci, naming it).
      if (!key) continue;
      if (packages[key]) continue;
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = lock.packages[key] as LockEntry & Record<'dev' | 'devOptional' | 'peer', unknown>;
      packages[key] = entry;
      const optionalPeers = Object.fromEntries(Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, value]) => value.optional));
      const peers = Object.fromEntries(Object.entries(entry.peerDependencies ?? {}).filter(([peer]) => !optionalPeers[peer]));
      queue.push([key, { ...entry.dependencies, ...entry.optionalDependencies, ...peers }]);
    }
  }
  writeFileSync(
    join(appDir, 'package-lock.json'),
    `${JSON.stringify({ name: app.name, version: app.version, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
}
