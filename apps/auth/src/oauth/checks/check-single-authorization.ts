import { OAuthError } from '@gatehouse/contracts';

/**
 * check-single-authorization: at most one Authorization header. Node keeps only the first of
 * several, so without this a second credential would pass unseen; which one counts must never be
 * a guess (RFC 6749 section 3.1: no parameter twice). `rawHeaders` alternates names and values.
 */
export function checkSingleAuthorization(rawHeaders: readonly string[]): void {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].length === 13 && rawHeaders[i].toLowerCase() === 'authorization') count++;
  }
  if (count > 1) throw new OAuthError('invalid_request', 'Send exactly one Authorization header.', `${count} Authorization headers`);
}
