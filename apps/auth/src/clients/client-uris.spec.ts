import { originProblem, redirectUriProblem } from './client-uris';

describe('registered redirect URIs and origins', () => {
  it('accepts https, loopback http and reversed-domain private-use schemes', () => {
    for (const uri of ['https://app.acme.test/callback', 'http://127.0.0.1:8080/cb', 'http://[::1]/cb', 'http://localhost:3000/cb', 'com.acme.app:/oauth']) {
      expect([uri, redirectUriProblem(uri)]).toEqual([uri, undefined]);
    }
  });

  it('refuses fragments, credentials, wildcards, plain http elsewhere and bare schemes', () => {
    for (const uri of [
      'https://app.acme.test/cb#x',
      'https://u:p@app.acme.test/cb',
      'https://*.acme.test/cb',
      'http://app.acme.test/cb',
      'myapp:/cb',
      'javascript:alert(1)',
      '/relative',
      42,
    ]) {
      expect([uri, typeof redirectUriProblem(uri)]).toEqual([uri, 'string']);
    }
  });

  it('accepts exact origins only', () => {
    expect(originProblem('https://app.acme.test')).toBeUndefined();
    expect(originProblem('http://127.0.0.1:3000')).toBeUndefined();
    for (const origin of ['https://app.acme.test/', 'https://app.acme.test/path', '*', 'http://app.acme.test', 'null']) {
      expect([origin, typeof originProblem(origin)]).toEqual([origin, 'string']);
    }
  });
});
