#!/usr/bin/env node
/**
 * The `gatehouse` command: runs the compiled CLI (`npm run build` compiles it into dist/apps/cli).
 */
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'apps', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('gatehouse: the CLI is not built yet; run `npm run build` first\n');
  process.exit(2);
}
require(entry);
