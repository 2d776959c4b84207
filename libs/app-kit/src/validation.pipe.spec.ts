import { IsString } from 'class-validator';
import { DomainError } from '@gatehouse/contracts';
import { createValidationPipe } from './validation.pipe';

class Login {
  @IsString() username!: string;
}

describe('the validation pipe', () => {
  const pipe = createValidationPipe();
  const refusal = (attempt: Promise<unknown>) =>
    attempt.then(
      () => undefined,
      (error: unknown) => (error instanceof DomainError ? `${error.code}: ${error.publicMessage}` : String(error)),
    );

  it('refuses U+0000 in a body, a query or a path parameter, naming where', async () => {
    expect(await refusal(pipe.transform({ username: 'ada\u0000' }, { type: 'body', metatype: Login }))).toBe(
      'invalid_request: Invalid input: username must not contain NUL characters',
    );
    expect(await refusal(pipe.transform('a\u0000', { type: 'query', data: 'cursor', metatype: String }))).toBe(
      'invalid_request: Invalid input: cursor must not contain NUL characters',
    );
    expect(await refusal(pipe.transform({ q: 'x\u0000' }, { type: 'query', metatype: Object }))).toBe(
      'invalid_request: Invalid input: q must not contain NUL characters',
    );
    expect(await refusal(pipe.transform('id\u0000', { type: 'param', data: 'id', metatype: String }))).toBe(
      'invalid_request: Invalid input: id must not contain NUL characters',
    );
  });

  it('refuses a lone surrogate, naming the field, and input nested too deep, as a message payload too', async () => {
    expect(await refusal(pipe.transform({ username: 'ada\ud800' }, { type: 'body', metatype: Login }))).toBe(
      'invalid_request: Invalid input: username must not contain unpaired surrogates',
    );
    const deep = JSON.parse(`{"username":${'['.repeat(10_000)}${']'.repeat(10_000)}}`) as unknown;
    expect(await refusal(pipe.transform(deep, { type: 'body', metatype: Login }))).toBe('invalid_request: Invalid input: nested deeper than 32 levels');
  });

  it('still validates and whitelists what passes', async () => {
    await expect(pipe.transform({ username: 'ada' }, { type: 'body', metatype: Login })).resolves.toBeInstanceOf(Login);
    expect(await refusal(pipe.transform({ username: 'ada', admin: true }, { type: 'body', metatype: Login }))).toMatch(
      /^invalid_request: Invalid input: admin: property admin should not exist/,
    );
  });

  it('leaves what custom decorators build alone', async () => {
    const built = { note: 'made by the app\u0000' };
    await expect(pipe.transform(built, { type: 'custom', metatype: Object })).resolves.toBe(built);
  });
});
