import { DomainError } from '@gatehouse/contracts';
import { checkCsrfOrigin } from './check-csrf-origin';

const ALLOWED = new Set(['https://gatehouse.test', 'https://app.gatehouse.test']);

function refusal(method: string, origin: string | string[] | undefined): DomainError | undefined {
  try {
    checkCsrfOrigin(method, origin, ALLOWED);
    return undefined;
  } catch (error) {
    return error as DomainError;
  }
}

describe('checkCsrfOrigin', () => {
  it('lets safe methods through whatever the origin, or none', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      expect(refusal(method, undefined)).toBeUndefined();
      expect(refusal(method, 'https://evil.test')).toBeUndefined();
    }
  });

  it('lets unsafe methods through from an allowed origin only', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(refusal(method, 'https://gatehouse.test')).toBeUndefined();
      expect(refusal(method, 'https://app.gatehouse.test')).toBeUndefined();
    }
  });

  it('refuses an unsafe method without Origin, with null, or from another origin: 403 forbidden', () => {
    for (const origin of [undefined, 'null', 'https://evil.test', 'http://gatehouse.test', 'https://gatehouse.test:8443', 'https://gatehouse.test/', '']) {
      expect(refusal('POST', origin)).toMatchObject({ code: 'forbidden' });
    }
  });

  it('compares methods exactly: a method in lower case is not GET', () => {
    expect(refusal('get', 'https://evil.test')).toMatchObject({ code: 'forbidden' });
  });

  it('refuses several Origin values, which no browser sends', () => {
    expect(refusal('POST', ['https://gatehouse.test', 'https://gatehouse.test'])).toMatchObject({ code: 'forbidden' });
  });
});
