import { Injectable } from '@nestjs/common';

/**
 * The sessions' "now". Every expiry is computed and compared through it (never the database's
 * `now()`), so a test can move time past an idle timeout instead of waiting it out.
 */
@Injectable()
export class SessionsClock {
  now(): Date {
    return new Date();
  }
}
