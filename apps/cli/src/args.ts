import { parseArgs } from 'node:util';

export const REQUEST_LIMIT = 150;
export const DEFAULT_TIMEOUT_MS = 5_000;

export const USAGE = `Usage: gatehouse scan --target <gateway URL> --token <access token> [options]

Runs Gatehouse's attack catalogue against one gateway and exits non-zero on any finding.

Options:
  --target <url>          the gateway to scan (the only host contacted)
  --token <jwt>           a valid access token for --route (or GATEHOUSE_SCAN_TOKEN)
  --route <path>          a route the token may call (default /users/me)
  --issuer-key <file>     PEM private key that signed --token (a test issuer the target
                          trusts): adds the claim checks and signs header attacks properly
  --echo-route <path>     a route whose upstream echoes the headers it received as JSON:
                          adds the forwarding-header cases
  --other-tenant <id>     a tenant the token does not belong to: adds the cross-tenant case
  --skip <case,...>       cases not to run (reported as skipped); may repeat
  --json                  print the report as JSON instead of a table
  --junit <file>          also write a JUnit XML report
  --timeout-ms <ms>       per-request timeout (default ${DEFAULT_TIMEOUT_MS})
  --list                  list the cases and exit
  -h, --help              this help

At most ${REQUEST_LIMIT} requests are sent, one at a time, besides which the scan only listens on
127.0.0.1 for requests the target must never make. Exit codes: 0 no finding, 1 findings,
2 the scan could not run (bad options, unreachable target, token refused by the control request).`;

export interface ScanOptions {
  target: URL;
  token: string;
  route: string;
  issuerKeyFile?: string;
  echoRoute?: string;
  otherTenant?: string;
  skip: Set<string>;
  json: boolean;
  junitFile?: string;
  timeoutMs: number;
}

export class UsageError extends Error {}

const path = (value: string | undefined, option: string) => {
  if (value !== undefined && !value.startsWith('/')) throw new UsageError(`${option} must be a path starting with /`);
  return value;
};

export function parseScanArgs(argv: string[], env: NodeJS.ProcessEnv): ScanOptions | 'help' | 'list' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      target: { type: 'string' },
      token: { type: 'string' },
      route: { type: 'string' },
      'issuer-key': { type: 'string' },
      'echo-route': { type: 'string' },
      'other-tenant': { type: 'string' },
      skip: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      junit: { type: 'string' },
      'timeout-ms': { type: 'string' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (values.list) return 'list';
  if (!values.target) throw new UsageError('--target is required');
  const token = values.token ?? env.GATEHOUSE_SCAN_TOKEN;
  if (!token) throw new UsageError('--token (or GATEHOUSE_SCAN_TOKEN) is required');
  let target: URL;
  try {
    target = new URL(values.target);
  } catch {
    throw new UsageError('--target must be an http(s) URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new UsageError('--target must be an http(s) URL');
  const timeoutMs = Number(values['timeout-ms'] ?? DEFAULT_TIMEOUT_MS);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) throw new UsageError('--timeout-ms must be an integer from 100 to 60000');
  const otherTenant = values['other-tenant'];
  if (otherTenant !== undefined && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(otherTenant))
    throw new UsageError('--other-tenant must be a tenant id (lowercase letters, digits, -)');
  return {
    target,
    token,
    route: path(values.route, '--route') ?? '/users/me',
    issuerKeyFile: values['issuer-key'],
    echoRoute: path(values['echo-route'], '--echo-route'),
    otherTenant,
    skip: new Set(
      (values.skip ?? [])
        .flatMap((list) => list.split(','))
        .map((id) => id.trim())
        .filter(Boolean),
    ),
    json: values.json ?? false,
    junitFile: values.junit,
    timeoutMs,
  };
}
