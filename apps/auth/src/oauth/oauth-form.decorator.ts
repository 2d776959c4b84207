import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { findUnstorableText } from '@gatehouse/app-kit';
import { OAuthError } from '@gatehouse/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { checkSingleAuthorization } from './checks/check-single-authorization';

type FormType<T> = new () => T;

/**
 * The validated form of an OAuth endpoint: `application/x-www-form-urlencoded` only, no parameter
 * twice (RFC 6749 section 3.1), none holding U+0000 or a lone surrogate (which the database
 * cannot store), known parameters typed, unknown ones ignored as the RFC requires; and at most one
 * Authorization header, since the client may authenticate with it.
 * Every refusal is `invalid_request` in an RFC 6749 body.
 */
export const OAuthForm = createParamDecorator(<T extends object>(type: FormType<T>, context: ExecutionContext): T => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const contentType = (request.headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase();
  if (contentType !== 'application/x-www-form-urlencoded') {
    throw new OAuthError('invalid_request', 'The request must be application/x-www-form-urlencoded.', `content type ${contentType}`);
  }
  checkSingleAuthorization(request.raw.rawHeaders);
  const body = (request.body ?? {}) as Record<string, unknown>;
  const repeated = Object.keys(body).filter((key) => Array.isArray(body[key]));
  if (repeated.length > 0) {
    throw new OAuthError('invalid_request', `Parameters must not be repeated: ${repeated.join(', ')}.`);
  }
  const unstorable = findUnstorableText(body);
  if (unstorable !== undefined) {
    throw new OAuthError('invalid_request', `Parameters must not contain ${unstorable.kind}: ${unstorable.field}.`);
  }
  const form = plainToInstance(type, body, { excludeExtraneousValues: false });
  const errors = validateSync(form, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    const fields = errors.map((error) => error.property).join(', ');
    throw new OAuthError('invalid_request', `Missing or malformed parameters: ${fields}.`);
  }
  return form;
});
