import { clientSecretBasic } from './client-secret-basic';

describe('clientSecretBasic', () => {
  const decoded = (header: string) => Buffer.from(header.replace(/^Basic /, ''), 'base64').toString();

  it('form-urlencodes id and secret before joining them (RFC 6749 section 2.3.1)', () => {
    expect(decoded(clientSecretBasic('svc:orders', 'a b+c%'))).toBe('svc%3Aorders:a+b%2Bc%25');
  });

  it('leaves plain ids and secrets as they are', () => {
    expect(clientSecretBasic('gateway', 'secret')).toBe(`Basic ${Buffer.from('gateway:secret').toString('base64')}`);
  });
});
