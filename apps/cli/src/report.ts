import type { CaseResult } from './runner';

export interface ScanReport {
  target: string;
  route: string;
  requests: number;
  requestLimit: number;
  findings: number;
  results: CaseResult[];
}

const MARK: Record<CaseResult['outcome'], string> = { pass: 'ok', finding: 'FINDING', skipped: 'skipped', 'not-run': 'not run' };

const name = (result: CaseResult) => (result.variant ? `${result.case} [${result.variant}]` : result.case);

/** The report for a person: one row per probe, findings and reasons under the table. */
export function table(report: ScanReport): string {
  const rows = [['case', 'source', 'expected', 'got', 'result'], ...report.results.map((r) => [name(r), r.source, r.expected, r.got, MARK[r.outcome]])];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  const notes = report.results.filter((r) => r.detail).map((r) => `  ${MARK[r.outcome]}: ${name(r)}: ${r.detail}`);
  const summary = `${report.findings} finding(s); ${report.results.length} rows; ${report.requests} of at most ${report.requestLimit} requests to ${report.target}`;
  return [
    line(rows[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
    '',
    ...notes,
    ...(notes.length ? [''] : []),
    summary,
    '',
  ].join('\n');
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML for CI: a finding is a failure, a skipped or unrunnable case a skip. */
export function junit(report: ScanReport): string {
  const skipped = report.results.filter((r) => r.outcome === 'skipped' || r.outcome === 'not-run').length;
  const cases = report.results.map((r) => {
    const open = `    <testcase classname="gatehouse.scan" name="${xml(`${name(r)}: ${r.title} (${r.source})`)}">`;
    if (r.outcome === 'finding')
      return `${open}\n      <failure message="${xml(r.detail ?? 'finding')}">expected ${xml(r.expected)}, got ${xml(r.got)}</failure>\n    </testcase>`;
    if (r.outcome !== 'pass') return `${open}\n      <skipped message="${xml(`${MARK[r.outcome]}: ${r.detail ?? ''}`)}"/>\n    </testcase>`;
    return `${open}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="gatehouse scan" tests="${report.results.length}" failures="${report.findings}">`,
    `  <testsuite name="gatehouse scan ${xml(report.target)}" tests="${report.results.length}" failures="${report.findings}" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
