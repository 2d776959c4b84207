// @peculiar/x509 resolves its services through tsyringe, which needs the metadata polyfill.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** The apps that get a certificate by default: each serves and calls over TLS under its own name. */
export const CERT_APPS = ['gateway', 'auth', 'users', 'orders'] as const;

export interface DevCertOptions {
  /** The folder the files go into (`<DATA_DIR>/certs`). */
  folder: string;
  /** One certificate per name, valid for that name, `localhost`, 127.0.0.1 and ::1. */
  names?: readonly string[];
  /** Extra host names or addresses every certificate is valid for. */
  hosts?: readonly string[];
  days?: number;
}

export interface DevCertFiles {
  ca: string;
  certs: Record<string, { cert: string; key: string }>;
}

interface Issued {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

/**
 * A throwaway certificate authority and one certificate per app, signed by it, for development
 * and tests: `ca.crt` (what every peer trusts), `<name>.crt` and `<name>.key` (PEM, the key
 * readable by its owner only). Each certificate serves and authenticates as a client both, under
 * its app's name; the CA's own key is not kept, so nothing more can ever be signed with it.
 */
export async function generateDevCerts(options: DevCertOptions): Promise<DevCertFiles> {
  const days = options.days ?? 365;
  const names = options.names ?? CERT_APPS;
  mkdirSync(options.folder, { recursive: true, mode: 0o700 });
  const ca = await certificateAuthority(days);
  const files: DevCertFiles = { ca: join(options.folder, 'ca.crt'), certs: {} };
  writeFileSync(files.ca, ca.cert.toString('pem') + '\n');
  for (const name of names) {
    const leaf = await issue(ca, name, ['localhost', '127.0.0.1', '::1', ...(options.hosts ?? [])], days);
    const paths = { cert: join(options.folder, `${name}.crt`), key: join(options.folder, `${name}.key`) };
    writeFileSync(paths.cert, leaf.cert.toString('pem') + '\n');
    writeFileSync(paths.key, await privateKeyPem(leaf.keys.privateKey), { mode: 0o600 });
    files.certs[name] = paths;
  }
  return files;
}

async function certificateAuthority(days: number): Promise<Issued> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=Gatehouse development CA ${new Date().toISOString().slice(0, 10)}`,
    ...validity(days),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

async function issue(ca: Issued, name: string, hosts: readonly string[], days: number): Promise<Issued> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const altNames = [name, ...hosts].filter((host, index, all) => all.indexOf(host) === index);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${name}`,
    issuer: ca.cert.subject,
    ...validity(days),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension(altNames.map((host) => (isIP(host) ? { type: 'ip', value: host } : { type: 'dns', value: host }))),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  // A minute back, so that a peer whose clock is slightly behind accepts a certificate made now.
  const now = Date.now() - 60_000;
  return { notBefore: new Date(now), notAfter: new Date(now + days * DAY_MS) };
}

function serial(): string {
  // Positive (first bit clear) and unique: two certificates of one CA never share a serial.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] &= 0x7f;
  return Buffer.from(bytes).toString('hex');
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY') + '\n';
}
