import type { CommonSettings } from './common.settings';
import { readSettingFile, StartupError } from './startup-error';

/** What this app trusts and presents to its peers, read from the files the settings name. */
export interface PeerTls {
  ca: string;
  /** This app's certificate and key; absent when only `TLS_CA_FILE` is set (trust, no client identity). */
  cert?: string;
  key?: string;
}

const cache = new WeakMap<CommonSettings, PeerTls | undefined>();

/**
 * The peer TLS material of these settings, read once: undefined without `TLS_CA_FILE`. A
 * certificate without its key (or the reverse), or either without a CA to check peers against,
 * is a StartupError: half a configuration would silently leave a link unauthenticated.
 */
export function peerTls(settings: CommonSettings): PeerTls | undefined {
  if (cache.has(settings)) return cache.get(settings);
  const { TLS_CA_FILE: caFile, TRANSPORT_TLS_CERT_FILE: certFile, TRANSPORT_TLS_KEY_FILE: keyFile } = settings;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    const [given, missing] = certFile ? ['TRANSPORT_TLS_CERT_FILE', 'TRANSPORT_TLS_KEY_FILE'] : ['TRANSPORT_TLS_KEY_FILE', 'TRANSPORT_TLS_CERT_FILE'];
    throw StartupError.of(`${given} is set without ${missing}`, [], 'set both, with TLS_CA_FILE, for mutual TLS on the transport');
  }
  if (certFile && !caFile) {
    throw StartupError.of('TRANSPORT_TLS_CERT_FILE is set without TLS_CA_FILE', [], "set TLS_CA_FILE to the CA that signs the peers' certificates");
  }
  const tls = caFile
    ? {
        ca: readSettingFile('TLS_CA_FILE', caFile),
        ...(certFile && keyFile ? { cert: readSettingFile('TRANSPORT_TLS_CERT_FILE', certFile), key: readSettingFile('TRANSPORT_TLS_KEY_FILE', keyFile) } : {}),
      }
    : undefined;
  cache.set(settings, tls);
  return tls;
}

/** Mutual TLS on the TCP transport: a CA, and this app's certificate and key. */
export function transportMutualTls(settings: CommonSettings): Required<PeerTls> | undefined {
  const tls = peerTls(settings);
  return tls?.cert && tls.key ? { ca: tls.ca, cert: tls.cert, key: tls.key } : undefined;
}
