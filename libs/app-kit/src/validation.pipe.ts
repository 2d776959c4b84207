import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import { findNulCharacter } from './nul-characters';

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    return [...Object.values(error.constraints ?? {}).map((text) => `${path}: ${text}`), ...describe(error.children ?? [], path)];
  });
}

/** Refuses a body, query or path parameter that holds U+0000 before any DTO sees it. */
class RefusingNulValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // What the client sent only: custom decorators hand over objects of the app's own making.
    const sent = metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param';
    const field = sent ? findNulCharacter(value, metadata.data ?? '') : undefined;
    if (field !== undefined) {
      throw new DomainError('invalid_request', `NUL character in ${field}`, {}, `Invalid input: ${field} must not contain NUL characters`);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** Whitelisting validation for every DTO: unknown properties are refused, not silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new RefusingNulValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const problems = describe(errors).join('; ');
      return new DomainError('invalid_request', problems, {}, `Invalid input: ${problems}`.slice(0, 500));
    },
  });
}
