import { Injectable } from '@nestjs/common';

/**
 * The key store's "now". Every time comparison of the key life cycle goes through it (never the
 * database's `now()`), so a test can move time forward instead of waiting out a token lifetime.
 */
@Injectable()
export class KeysClock {
  now(): Date {
    return new Date();
  }
}
