import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import { toDomainError } from './to-domain-error';

describe('toDomainError', () => {
  it('keeps a domain error as it is', () => {
    const error = new DomainError('tenant_mismatch', 'token of acme on globex');
    expect(toDomainError(error)).toEqual({ domain: error, unexpected: false });
  });

  it.each([
    [new BadRequestException(), 'invalid_request'],
    [new NotFoundException(), 'not_found'],
    [new PayloadTooLargeException(), 'payload_too_large'],
    [Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 }), 'invalid_request'],
    [Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 }), 'unsupported_media_type'],
  ])('maps %p to %s', (error, code) => {
    expect(toDomainError(error)).toMatchObject({ domain: { code }, unexpected: false });
  });

  it('turns anything unexpected into internal_error and flags it for the log', () => {
    expect(toDomainError(new TypeError('x is undefined'))).toMatchObject({ domain: { code: 'internal_error' }, unexpected: true });
  });

  it('keeps the code of a typed RPC error', () => {
    expect(toDomainError({ error: 'forbidden', message: 'x' })).toMatchObject({ domain: { code: 'forbidden' } });
  });
});
