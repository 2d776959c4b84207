import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '@gatehouse/contracts';

/** A session id as the sessions list shows it: the SHA-256 of its secret, in hex. */
@Injectable()
export class SessionIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value))
      throw new DomainError('invalid_request', 'malformed session id', {}, 'A session id is 64 hexadecimal digits.');
    return value;
  }
}
