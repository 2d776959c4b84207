import { revocationEventOf, revocationNoticeOf, revocationPageOf } from './revocation-wire';

const event = { seq: 7, kind: 'sid', value: 'login-1', before: 1000, until: 1600 };

describe('revocation wire', () => {
  it('reads an event as auth sends it, and nothing else', () => {
    expect(revocationEventOf(event)).toEqual(event);
    for (const broken of [
      { ...event, seq: 0 },
      { ...event, seq: 1.5 },
      { ...event, kind: 'user' },
      { ...event, value: '' },
      { ...event, value: 'x'.repeat(513) },
      { ...event, until: '1600' },
      null,
      [event],
    ]) {
      expect(revocationEventOf(broken)).toBeUndefined();
    }
  });

  it("reads a pushed event of this issuer only; another platform's or unreadable JSON is ignored", () => {
    expect(revocationNoticeOf(JSON.stringify({ ...event, iss: 'http://a.test' }), 'http://a.test')).toEqual(event);
    expect(revocationNoticeOf(JSON.stringify({ ...event, iss: 'http://b.test' }), 'http://a.test')).toBeUndefined();
    expect(revocationNoticeOf(JSON.stringify(event), 'http://a.test')).toBeUndefined();
    expect(revocationNoticeOf('{not json', 'http://a.test')).toBeUndefined();
  });

  it('refuses a page with any malformed part, so the cursor never moves past what was not applied', () => {
    expect(revocationPageOf({ events: [event], last: 7, more: false })).toEqual({ events: [event], last: 7, more: false });
    expect(() => revocationPageOf({ events: [event, { ...event, kind: 'nope' }], last: 8, more: false })).toThrow('malformed event');
    expect(() => revocationPageOf({ events: [], last: -1, more: false })).toThrow('malformed page');
    expect(() => revocationPageOf({ events: [], last: 3 })).toThrow('malformed page');
  });
});
