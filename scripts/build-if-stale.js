#!/usr/bin/env node
/**
 * Builds the platform when a source changed since the last build. Runs after `npm install` (so a
 * first `npm start` does not wait for the compiler) and before every `npm start`.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const entry = join(root, 'dist/apps/platform/apps/platform/src/main.js');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

function stale() {
  if (!existsSync(entry)) return true;
  const built = statSync(entry).mtimeMs;
  const sources = ['apps', 'libs', 'tsconfig.json', 'nest-cli.json', 'package-lock.json'];
  return sources.some((source) => existsSync(join(root, source)) && newest(join(root, source)) > built);
}

function buildIfStale() {
  if (!stale()) return;
  process.stdout.write('Building the platform...\n');
  const nest = require.resolve('@nestjs/cli/bin/nest.js', { paths: [root] });
  const build = spawnSync(process.execPath, [nest, 'build', 'platform'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

module.exports = { buildIfStale, entry };
if (require.main === module) buildIfStale();
