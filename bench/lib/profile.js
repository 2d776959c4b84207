'use strict';
/**
 * Where a V8 CPU profile (.cpuprofile, as written by --cpu-prof or the bench's `--profile`) spent
 * its time: self time per function and per area (a package of node_modules, Node's internals,
 * the apps, the libs, the garbage collector). Run alone: `node bench/lib/profile.js <file>`.
 */
const { readFileSync } = require('node:fs');

function area(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const app = /\/dist\/apps\/[^/]+\/(apps|libs)\/([^/]+)\//.exec(url);
  if (app) return `${app[1]}/${app[2]}`;
  if (url.includes('/bench/')) return 'bench';
  return url;
}

function shortUrl(url) {
  if (!url) return '';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const dist = url.indexOf('/dist/apps/');
  if (dist >= 0) return url.slice(dist + '/dist/apps/'.length).replace(/^[^/]+\//, '');
  return url.replace(/^file:\/\//, '');
}

/** Self time per function and per area, in ms and as a share of the non-idle time. */
function summarize(profile, top = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + delta);
  }
  const functions = new Map();
  const areas = new Map();
  let busy = 0;
  let idle = 0;
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    if (functionName === '(idle)') {
      idle += micros;
      continue;
    }
    busy += micros;
    const name = `${functionName || '(anonymous)'} ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
    const where = area(url, functionName);
    areas.set(where, (areas.get(where) ?? 0) + micros);
  }
  const rank = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, ms: Math.round(micros / 1000), share: busy ? micros / busy : 0 }));
  return { busyMs: Math.round(busy / 1000), idleMs: Math.round(idle / 1000), functions: rank(functions), areas: rank(areas) };
}

function formatSummary(summary, title = 'profile') {
  const lines = [`${title}: ${summary.busyMs} ms busy, ${summary.idleMs} ms idle`, '  self time by area:'];
  for (const row of summary.areas) lines.push(`    ${(row.share * 100).toFixed(1).padStart(5)}%  ${String(row.ms).padStart(6)} ms  ${row.name}`);
  lines.push('  self time by function:');
  for (const row of summary.functions) lines.push(`    ${(row.share * 100).toFixed(1).padStart(5)}%  ${String(row.ms).padStart(6)} ms  ${row.name}`);
  return lines.join('\n');
}

module.exports = { summarize, formatSummary };

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node bench/lib/profile.js <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatSummary(summarize(JSON.parse(readFileSync(file, 'utf8')), Number(process.argv[3] ?? 25)), file)}\n`);
}
