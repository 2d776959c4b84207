import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { readSettingFile, StartupError } from '@gatehouse/config';
import type { GatewayEdgeSettings } from './edge.settings';

/**
 * TLS 1.3 suites, then TLS 1.2 with forward secrecy and authenticated encryption only (ECDHE with
 * AES-GCM or ChaCha20-Poly1305): no CBC, no RSA key exchange, no SHA-1.
 */
export const MODERN_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

export interface EdgeTlsOptions extends SecureContextOptions {
  cert: string;
  key: string;
}

/**
 * The listener's TLS options from `TLS_CERT_FILE` and `TLS_KEY_FILE`, or undefined when neither is
 * set. One set without the other, a missing file, or a key that does not match its certificate is
 * a StartupError naming the setting.
 */
export function readEdgeTls(settings: GatewayEdgeSettings): EdgeTlsOptions | undefined {
  if (!settings.servesTls) return undefined;
  if (!settings.TLS_CERT_FILE || !settings.TLS_KEY_FILE) {
    const [given, missing] = settings.TLS_CERT_FILE ? ['TLS_CERT_FILE', 'TLS_KEY_FILE'] : ['TLS_KEY_FILE', 'TLS_CERT_FILE'];
    throw StartupError.of(`${given} is set without ${missing}`, [], `set both to serve HTTPS, or neither to serve plain HTTP`);
  }
  const options = edgeTlsOptions(settings, readSettingFile('TLS_CERT_FILE', settings.TLS_CERT_FILE), readSettingFile('TLS_KEY_FILE', settings.TLS_KEY_FILE));
  const problem = unusable(options);
  if (problem) {
    throw StartupError.of(
      `TLS_CERT_FILE ${settings.TLS_CERT_FILE} and TLS_KEY_FILE ${settings.TLS_KEY_FILE} cannot serve HTTPS`,
      [problem],
      'point both at the PEM certificate chain and its private key',
    );
  }
  return options;
}

export function edgeTlsOptions(settings: GatewayEdgeSettings, cert: string, key: string): EdgeTlsOptions {
  return { cert, key, minVersion: settings.TLS_MIN_VERSION, ciphers: MODERN_CIPHERS, honorCipherOrder: true };
}

/** Why these options cannot make a secure context (unreadable PEM, a key of another certificate); undefined when they can. */
export function unusable(options: EdgeTlsOptions): string | undefined {
  try {
    createSecureContext(options);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
