import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';

// A browser session: the SHA-256 of its secret, in hex; an API login: the UUID its password grant drew.
const SESSION_ID = /^([0-9a-f]{64}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** A session id as the sessions list shows it. */
@Injectable()
export class SessionIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !SESSION_ID.test(value))
      throw new DomainError('invalid_request', 'malformed session id', {}, 'A session id is 64 hexadecimal digits or a UUID.');
    return value;
  }
}
