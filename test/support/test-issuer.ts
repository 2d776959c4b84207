import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An identity provider a tenant trusts, reduced to what a gateway needs: an ES256 key pair, its
 * JWKS at `/jwks`, and compact tokens signed with it (header and claims as given, nothing added).
 */
export class TestIssuer {
  readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  readonly kid = 'test-issuer-key-1';
  private readonly server: Server;
  url = '';

  constructor() {
    this.server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [{ ...this.keys.publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'ES256', use: 'sig' }] }));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The private key in PKCS#8 PEM, as an operator would hand it to a tool. */
  privateKeyPem(): string {
    return String(this.keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  }

  sign(claims: object, typ = 'JWT'): string {
    const input = `${segment({ alg: 'ES256', typ, kid: this.kid })}.${segment(claims)}`;
    return `${input}.${sign('sha256', Buffer.from(input), { key: this.keys.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
