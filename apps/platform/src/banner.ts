import { resolve } from 'node:path';
import type { RunningApp } from '@gatehouse/app-kit';

export interface BannerFacts {
  /** The issuer tokens name (auth's AUTH_ISSUER). */
  issuer: string;
  /** The file the development demo wrote its secrets to, when this start uses the demo. */
  demoCredentials: string | null;
}

/**
 * What `npm start` prints once everything answers: each address once, where to look, and, with
 * the demo, a command that gets a token by reading the secrets from their file (the banner never
 * prints a secret).
 */
export function platformBanner(apps: readonly RunningApp[], facts: BannerFacts): string {
  const gateway = apps.find((app) => app.name === 'gateway');
  const behind = apps.filter((app) => app !== gateway);
  const first = apps[0];
  const data = first?.settings.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : first ? resolve(first.settings.DATA_DIR, 'platform') : '-';
  // The issuer's origin: by default the gateway's own address, and where it is set, the public
  // origin browsers must use for tokens and cookies to belong (the gateway's listener may differ).
  const entry = originOf(facts.issuer) ?? gateway?.url ?? '-';
  const lines = [
    '',
    'Gatehouse is running.',
    '',
    `  Public entry (gateway)   ${entry}`,
    `  Issuer                   ${facts.issuer}`,
    `  API docs                 ${entry}/docs`,
    `  Health                   ${entry}/health/ready   ${entry}/health/live`,
    `  Metrics                  ${entry}/metrics`,
    `  Behind the gateway       ${behind.map((app) => `${app.name} ${app.url}`).join(', ')}`,
    '                           (each with its own /docs, /health and /metrics)',
    `  Data                     ${data}`,
  ];
  if (facts.demoCredentials) lines.push('', ...demoLines(entry, facts.demoCredentials));
  lines.push('', '  Ctrl-C stops everything.', '');
  return lines.join('\n');
}

function demoLines(entry: string, file: string): string[] {
  const read = (path: string) => `$(node -p "require('${file}')${path}")`;
  return [
    `  Demo tenant "demo": its admin's password and the clients' secrets are in`,
    `    ${file}`,
    '  A token for the demo admin (the secrets are read from that file, never printed):',
    `    curl -s ${entry}/oauth/token -u "demo-cli:${read(".clients['demo-cli']")}" \\`,
    `      -d grant_type=password -d username=admin --data-urlencode "password=${read('.admin.password')}" \\`,
    `      -d 'scope=profile orders:read orders:write'`,
  ];
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
