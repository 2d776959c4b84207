#!/usr/bin/env node
/**
 * `npm start`: every app in this process, on the embedded defaults or on whatever the environment
 * and `.env` choose, after building what changed.
 */
'use strict';
const { buildIfStale, entry } = require('./build-if-stale');

buildIfStale();
require(entry);
