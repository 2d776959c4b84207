import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../args';
import { CERT_APPS, generateDevCerts } from './dev-certs';

export const CERTS_USAGE = `Usage: gatehouse certs [--dir <folder>] [--host <name>]... [--days <n>]

Generates a throwaway certificate authority and a certificate per app (${CERT_APPS.join(', ')}),
for development and tests only: the CA's private key is not kept.

Options:
  --dir <folder>    where the files go (default <DATA_DIR>/certs, DATA_DIR defaulting to ./data)
  --host <name>     a further host name or address every certificate is valid for; may repeat
  --days <n>        validity in days (default 365)
  -h, --help        this help`;

/** `gatehouse certs`: writes the files and prints the settings that use them. */
export async function certsCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: { dir: { type: 'string' }, host: { type: 'string', multiple: true }, days: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) return `${CERTS_USAGE}\n`;
  const days = values.days === undefined ? 365 : Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UsageError('--days must be a whole number of days, 1 to 3650');
  const folder = resolve(values.dir ?? join(env.DATA_DIR ?? './data', 'certs'));
  const files = await generateDevCerts({ folder, hosts: values.host ?? [], days });
  const gateway = files.certs.gateway;
  return [
    `Wrote a development CA and certificates for ${Object.keys(files.certs).join(', ')} into ${folder}`,
    '',
    'HTTPS at the gateway:',
    `  TLS_CERT_FILE=${gateway.cert}`,
    `  TLS_KEY_FILE=${gateway.key}`,
    'Mutual TLS between the apps (each its own certificate, e.g. for users):',
    `  TLS_CA_FILE=${files.ca}`,
    `  TRANSPORT_TLS_CERT_FILE=${join(folder, 'users.crt')}`,
    `  TRANSPORT_TLS_KEY_FILE=${join(folder, 'users.key')}`,
    `Clients trust ${files.ca} (curl --cacert ${files.ca} https://localhost:3000/health/live).`,
    '',
  ].join('\n');
}
