import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { certsCommand } from './certs-command';

describe('gatehouse certs', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-certs-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a CA and a certificate per app that it signed, for the app name, loopback and extra hosts', async () => {
    const output = await certsCommand(['--dir', dir, '--host', 'api.example.test', '--days', '30'], {});
    expect(output).toContain(`TLS_CERT_FILE=${join(dir, 'gateway.crt')}`);
    const ca = new X509Certificate(readFileSync(join(dir, 'ca.crt')));
    expect(ca.ca).toBe(true);
    for (const app of ['gateway', 'auth', 'users', 'orders']) {
      const cert = new X509Certificate(readFileSync(join(dir, `${app}.crt`)));
      expect(cert.ca).toBe(false);
      expect(cert.checkIssued(ca) && cert.verify(ca.publicKey)).toBe(true);
      expect(cert.subjectAltName).toBe(`DNS:${app}, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:api.example.test`);
      expect(cert.checkHost(app)).toBe(app);
      expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(Date.parse(cert.validTo) - Date.now()).toBeLessThan(31 * 86_400_000);
      expect(statSync(join(dir, `${app}.key`)).mode & 0o077).toBe(0);
      expect(() => createSecureContext({ cert: readFileSync(join(dir, `${app}.crt`)), key: readFileSync(join(dir, `${app}.key`)) })).not.toThrow();
    }
    // The CA signs nothing more: its key is not kept.
    expect(() => statSync(join(dir, 'ca.key'))).toThrow();
  });

  it('refuses a validity that is not a whole number of days, and an unknown option', async () => {
    await expect(certsCommand(['--dir', dir, '--days', 'soon'], {})).rejects.toThrow('--days must be a whole number of days, 1 to 3650');
    await expect(certsCommand(['--dir', dir, '--bogus'], {})).rejects.toThrow(/Unknown option '--bogus'/);
  });
});
