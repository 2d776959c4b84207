import { findUnstorableText } from './unstorable-text';

describe('findUnstorableText', () => {
  const nul = (field: string) => ({ field, kind: 'NUL characters' });
  const surrogate = (field: string) => ({ field, kind: 'unpaired surrogates' });

  it('names the field that holds U+0000, nested or in an array', () => {
    expect(findUnstorableText({ username: 'ada\u0000' })).toEqual(nul('username'));
    expect(findUnstorableText({ profile: { names: ['a', 'b\u0000c'] } })).toEqual(nul('profile.names[1]'));
    expect(findUnstorableText({ ['ke\u0000y']: 'value' })).toEqual(nul('(body): a key'));
    expect(findUnstorableText({ profile: { ['ke\u0000y']: 'value' } })).toEqual(nul('profile: a key'));
    expect(findUnstorableText('plain\u0000')).toEqual(nul('(value)'));
  });

  it('names the field that holds a lone surrogate, high or low, in a value or a key', () => {
    expect(findUnstorableText({ email: '\ud800@acme.test' })).toEqual(surrogate('email'));
    expect(findUnstorableText({ name: 'end\udfff' })).toEqual(surrogate('name'));
    expect(findUnstorableText({ list: ['a\udc00\ud800'] })).toEqual(surrogate('list[0]'));
    expect(findUnstorableText({ ['\ud83d']: 1 })).toEqual(surrogate('(body): a key'));
  });

  it('passes everything else: other control characters, Unicode, surrogate pairs', () => {
    expect(findUnstorableText({ username: 'ada', note: 'tab\there', name: 'Zoë ✓ 😀', n: 3, none: null, list: [] })).toBeUndefined();
    expect(findUnstorableText(undefined)).toBeUndefined();
  });
});
