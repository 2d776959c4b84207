import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';
import { inputShapeProblem } from './input-shape';
import { findUnstorableText } from './unstorable-text';

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    return [...Object.values(error.constraints ?? {}).map((text) => `${path}: ${text}`), ...describe(error.children ?? [], path)];
  });
}

function refuse(problem: string): DomainError {
  return new DomainError('invalid_request', problem, {}, `Invalid input: ${problem}`);
}

/**
 * Refuses a body, query or path parameter too deep or too wide to validate safely, or holding
 * text the database cannot store, before any DTO sees it. A message payload arrives as `body`.
 */
class ScreeningValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // What the client sent only: custom decorators hand over objects of the app's own making.
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const shape = inputShapeProblem(value);
      if (shape !== undefined) throw refuse(shape);
      const text = findUnstorableText(value, metadata.data ?? '');
      if (text !== undefined) throw refuse(`${text.field} must not contain ${text.kind}`);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** Whitelisting validation for every DTO: unknown properties are refused, not silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ScreeningValidationPipe({
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
