import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import { connect, type ConnectionOptions, type PeerCertificate } from 'node:tls';

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The certificate the server presented. */
  peer: PeerCertificate;
}

/** One GET over HTTPS trusting `caFile` only, on a fresh connection (no agent: a reload shows at once). */
export function httpsGet(url: string, caFile: string, headers: Record<string, string> = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const call = request(url, { ca: readFileSync(caFile), agent: false, headers, timeout: 5000 }, (response) => {
      const peer = (response.socket as unknown as { getPeerCertificate(): PeerCertificate }).getPeerCertificate();
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body, peer }));
    });
    call.on('timeout', () => call.destroy(new Error('timeout')));
    call.on('error', reject);
    call.end();
  });
}

/** Whether a TLS handshake with these options succeeds; the error's code when it does not. */
export function handshake(options: ConnectionOptions): Promise<true | string> {
  return new Promise((resolve) => {
    const socket = connect({ ...options, timeout: 5000 }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    socket.on('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
  });
}

/** A plain-HTTP request with any headers, Host included (which fetch will not set). */
export function plainRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const call = httpRequest(url, { method, headers, agent: false, timeout: 5000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    call.on('timeout', () => call.destroy(new Error('timeout')));
    call.on('error', reject);
    call.end();
  });
}
