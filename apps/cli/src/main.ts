#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { parseScanArgs, REQUEST_LIMIT, type ScanOptions, USAGE, UsageError } from './args';
import { CATALOGUE } from './cases';
import { certsCommand } from './certs/certs-command';
import { TargetClient } from './http-client';
import { junit, type ScanReport, table } from './report';
import { runScan, ScanAborted } from './runner';

const EXIT = { clean: 0, findings: 1, cannotRun: 2 } as const;

async function scan(options: ScanOptions): Promise<number> {
  const unknown = [...options.skip].filter((id) => !CATALOGUE.some((scanCase) => scanCase.id === id));
  if (unknown.length > 0) throw new UsageError(`--skip names no case: ${unknown.join(', ')} (see --list)`);
  const issuerKey = options.issuerKeyFile === undefined ? undefined : readFileSync(options.issuerKeyFile, 'utf8');
  const client = new TargetClient(options.target, REQUEST_LIMIT, options.timeoutMs);
  const results = await runScan(client, CATALOGUE, { ...options, issuerKey });
  const report: ScanReport = {
    target: options.target.origin,
    route: options.route,
    requests: client.requests,
    requestLimit: REQUEST_LIMIT,
    findings: results.filter((result) => result.outcome === 'finding').length,
    results,
  };
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : table(report));
  if (options.junitFile) writeFileSync(options.junitFile, junit(report));
  return report.findings > 0 ? EXIT.findings : EXIT.clean;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? process.stderr : process.stdout).write(
      'Usage: gatehouse scan [options]   (gatehouse scan --help)\n       gatehouse certs [options]  (gatehouse certs --help)\n',
    );
    return command === undefined ? EXIT.cannotRun : EXIT.clean;
  }
  if (command === 'certs') {
    process.stdout.write(await certsCommand(rest, process.env));
    return EXIT.clean;
  }
  if (command !== 'scan') throw new UsageError(`unknown command ${command}: the commands are scan and certs`);
  const options = parseScanArgs(rest, process.env);
  if (options === 'help') process.stdout.write(`${USAGE}\n`);
  if (options === 'list') for (const scanCase of CATALOGUE) process.stdout.write(`${scanCase.id.padEnd(34)} ${scanCase.source}\n`);
  return typeof options === 'string' ? EXIT.clean : scan(options);
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof ScanAborted || (error as NodeJS.ErrnoException).code !== undefined;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`gatehouse: ${known ? message : `cannot run the scan: ${message}`}\n`);
    process.exitCode = EXIT.cannotRun;
  },
);
