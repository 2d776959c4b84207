import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    return [...Object.values(error.constraints ?? {}).map((text) => `${path}: ${text}`), ...describe(error.children ?? [], path)];
  });
}

/** Whitelisting validation for every DTO: unknown properties are refused, not silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
