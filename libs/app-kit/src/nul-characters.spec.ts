import { findNulCharacter } from './nul-characters';

describe('findNulCharacter', () => {
  it('names the field that holds U+0000, nested or in an array', () => {
    expect(findNulCharacter({ username: 'ada\u0000' })).toBe('username');
    expect(findNulCharacter({ profile: { names: ['a', 'b\u0000c'] } })).toBe('profile.names[1]');
    expect(findNulCharacter({ ['ke\u0000y']: 'value' })).toBe('(body): a key');
    expect(findNulCharacter({ profile: { ['ke\u0000y']: 'value' } })).toBe('profile: a key');
    expect(findNulCharacter('plain\u0000')).toBe('(value)');
  });

  it('passes everything else, other control characters and Unicode included', () => {
    expect(findNulCharacter({ username: 'ada', note: 'tab\there', name: 'Zoë ✓', n: 3, none: null, list: [] })).toBeUndefined();
    expect(findNulCharacter(undefined)).toBeUndefined();
  });
});
