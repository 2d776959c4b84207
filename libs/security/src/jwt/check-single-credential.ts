import { DomainError } from '@gatehouse/contracts';

// RFC 6750 section 2.1: the b64token syntax of a bearer credential.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const CHALLENGE = 'Bearer realm="gatehouse"';

/** Where a credential may be: headers as parsed, the raw header list where known, the query string. */
export interface CredentialCarrier {
  headers: Record<string, string | string[] | undefined>;
  /** Node's raw list, where duplicate Authorization headers are still visible. */
  rawHeaders?: string[];
  /** `?` and the rest, or empty. */
  query?: string;
}

/**
 * check-single-credential: a request carries exactly one bearer credential, in one Authorization
 * header (RFC 6750 section 2.1, scheme case-insensitive). Two Authorization headers, or any
 * `access_token` in the query string (never accepted, it leaks into logs), are `400
 * invalid_request`; another scheme is `401 missing_token`; a credential over `maxLength` is
 * refused before anything parses it. Returns undefined when there is no Authorization header.
 */
export function singleBearerCredential(source: CredentialCarrier, maxLength: number): string | undefined {
  if (source.rawHeaders && authorizationHeaders(source.rawHeaders) > 1) throw invalidRequest('several Authorization headers');
  const query = source.query ?? '';
  if (query.length > 1 && new URLSearchParams(query.slice(1)).has('access_token')) throw invalidRequest('access_token in the query string');
  const header = source.headers.authorization;
  if (Array.isArray(header)) throw invalidRequest('several Authorization headers');
  if (header === undefined) return undefined;
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header : header.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') {
    throw new DomainError('missing_token', `Authorization scheme ${scheme.slice(0, 20)} is not Bearer`, { 'www-authenticate': CHALLENGE });
  }
  if (space < 0) throw invalidRequest('Bearer without a credential');
  const credential = header.slice(space + 1).trim();
  if (credential.length > maxLength) throw new DomainError('invalid_token', `credential of ${credential.length} characters`);
  if (!B64TOKEN.test(credential)) throw invalidRequest('Authorization is not one Bearer credential');
  return credential;
}

function authorizationHeaders(raw: string[]): number {
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i].length === 13 && raw[i].toLowerCase() === 'authorization') count++;
  return count;
}

function invalidRequest(reason: string): DomainError {
  return new DomainError('invalid_request', reason, { 'www-authenticate': `${CHALLENGE}, error="invalid_request"` });
}
