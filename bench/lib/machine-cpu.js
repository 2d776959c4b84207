'use strict';
/**
 * The whole machine's busy CPU time (Linux /proc/stat), so a window can tell how much of it was
 * the bench's own processes and how much something else running at the same time: figures taken
 * while another job used the cores are not figures.
 */
const { readdirSync, readFileSync } = require('node:fs');

const TICK_MICROS = 10_000; // USER_HZ is 100 on every Linux the bench runs on

/**
 * Microseconds since boot, all cores: `busy` (this machine's processes and the kernel) and
 * `steal` (time a virtual machine's cores waited for the host); undefined without /proc/stat.
 */
function machineMicros() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return { busy: (user + nice + system + irq + softirq) * TICK_MICROS, steal: steal * TICK_MICROS };
  } catch {
    return undefined;
  }
}

/** Busy cores of the whole machine over `ms`. */
async function sampleBusyCores(ms = 1000) {
  const before = machineMicros();
  if (before === undefined) return undefined;
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (machineMicros().busy - before.busy) / (ms * 1000);
}

/**
 * CPU microseconds (user + system) of every live process whose command name is `name`, e.g. the
 * PostgreSQL server's processes; undefined without /proc. A process that exits meanwhile takes its
 * time with it, so this undercounts short-lived ones.
 */
function processGroupMicros(name) {
  try {
    let total = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      if (stat.slice(open + 1, close) !== name) continue;
      const fields = stat.slice(close + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * TICK_MICROS;
    }
    return total;
  } catch {
    return undefined;
  }
}

module.exports = { machineMicros, processGroupMicros, sampleBusyCores };
