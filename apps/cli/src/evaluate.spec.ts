import type { Answer, Probe } from './case';
import { findingOf } from './evaluate';
import { ACCEPTED, NO_TOKEN, REQUEST_REFUSED, TOKEN_REFUSED } from './expectations';

const answer = (status: number, error?: string, challenge?: string, ms = 5): Answer => ({
  status,
  headers: challenge ? { 'www-authenticate': challenge } : {},
  text: JSON.stringify({ error }),
  body: { error },
  ms,
});
const probe = (expect: Probe['expect'], extra: Partial<Probe> = {}): Probe => ({ headers: [], expect, ...extra });
const INVALID = 'Bearer realm="gatehouse", error="invalid_token"';

describe('check-answer: the finding an answer makes', () => {
  it('passes the exact contract: status, code and challenge', () => {
    expect(findingOf(probe(TOKEN_REFUSED), answer(401, 'invalid_token', INVALID))).toBeUndefined();
    expect(findingOf(probe(REQUEST_REFUSED), answer(400, 'invalid_request', 'Bearer realm="gatehouse", error="invalid_request"'))).toBeUndefined();
    expect(findingOf(probe(NO_TOKEN), answer(401, 'missing_token', 'Bearer realm="gatehouse"'))).toBeUndefined();
  });

  it('names an accepted attack, a server error and any other status', () => {
    expect(findingOf(probe(TOKEN_REFUSED), answer(200))).toBe('accepted: the attack got through');
    expect(findingOf(probe(TOKEN_REFUSED), answer(500, 'internal_error'))).toBe('a server error for a client request');
    expect(findingOf(probe(TOKEN_REFUSED), answer(403, 'forbidden', INVALID))).toBe('status 403 is not 401');
  });

  it('names a wrong code, a missing or wrong challenge', () => {
    expect(findingOf(probe(TOKEN_REFUSED), answer(401, 'missing_token', INVALID))).toMatch(/^error code missing_token is not/);
    expect(findingOf(probe(TOKEN_REFUSED), answer(401, 'invalid_token'))).toBe('no Bearer WWW-Authenticate challenge');
    expect(findingOf(probe(NO_TOKEN), answer(401, 'missing_token', INVALID))).toMatch(/^challenge names an error without a credential/);
  });

  it('names a slow refusal and what the case itself finds', () => {
    expect(findingOf(probe(TOKEN_REFUSED, { maxMs: 100 }), answer(401, 'invalid_token', INVALID, 2_500))).toBe('answered after 2500 ms (limit 100 ms)');
    expect(findingOf(probe(ACCEPTED, { check: () => 'forwarded' }), answer(200))).toBe('forwarded');
    expect(findingOf(probe(ACCEPTED, { check: () => undefined }), answer(200))).toBeUndefined();
  });
});
