#!/usr/bin/env node
/**
 * Builds @gatehouse/resource (packages/resource) to JavaScript and type declarations: the libraries
 * its entry reaches (security, contracts, config, jwks, observability, transport) compiled as they
 * are, their `@gatehouse/<lib>` imports rewritten to relative paths, so the package needs nothing
 * of this repository. `npm pack` in packages/resource runs it first.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, sep } = require('node:path');

const root = join(__dirname, '..');
const packageDir = join(root, 'packages/resource');
const dist = join(packageDir, 'dist');

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', join(packageDir, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

// require("@gatehouse/x") in the JavaScript, from "@gatehouse/x" and import("@gatehouse/x") in the declarations.
const ALIAS = /(["'])@gatehouse\/([a-z-]+)\1/g;
for (const file of filesUnder(dist).filter((name) => name.endsWith('.js') || name.endsWith('.d.ts'))) {
  const text = readFileSync(file, 'utf8');
  const rewritten = text.replace(ALIAS, (_match, quote, lib) => {
    let path = relative(dirname(file), join(dist, 'libs', lib, 'src', 'index'))
      .split(sep)
      .join('/');
    if (!path.startsWith('.')) path = `./${path}`;
    return `${quote}${path}${quote}`;
  });
  if (rewritten !== text) writeFileSync(file, rewritten);
}
const left = filesUnder(dist).filter((file) => /@gatehouse\//.test(readFileSync(file, 'utf8').replace(/@gatehouse\/resource/g, '')));
if (left.length > 0) {
  console.error(`@gatehouse imports left in ${left.join(', ')}`);
  process.exit(1);
}
console.log(`@gatehouse/resource built in ${relative(root, dist)}`);
