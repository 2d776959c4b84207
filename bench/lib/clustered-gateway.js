'use strict';
/**
 * The gateway as its entry point runs it (node:cluster workers when GATEWAY_WORKERS > 1), from
 * the built platform tree (`npm run build` or build-if-stale): a worker re-runs this file, so it
 * is plain JavaScript. Used by scenario 9 and by test/gateway-workers.e2e-spec.ts.
 */
require('reflect-metadata');
const { join } = require('node:path');

const dist = join(__dirname, '..', '..', 'dist', 'apps', 'platform');
const { runClustered } = require(join(dist, 'libs', 'app-kit', 'src'));
const { gatewayApp } = require(join(dist, 'apps', 'gateway', 'src', 'gateway.app'));

runClustered(gatewayApp, (settings) => settings.gatewayWorkers(require('node:os').availableParallelism()));
