'use strict';
/**
 * The bench runs the apps as built: `npm run build` (or the build `npm start` and `npm run bench`
 * do when a source changed) compiles every app and lib into dist/apps/platform, with the
 * `@gatehouse/*` imports already rewritten to relative paths, so plain `node` loads them.
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist', 'apps', 'platform');

/** A module of the built tree, e.g. `apps/gateway/src/gateway.app` or `libs/app-kit/src`. */
function fromDist(relative) {
  const file = join(DIST, relative);
  if (!existsSync(`${file}.js`) && !existsSync(join(file, 'index.js'))) {
    throw new Error(`${relative} is not built (looked in ${DIST}): run \`npm run build\` first`);
  }
  return require(file);
}

module.exports = { ROOT, DIST, fromDist };
