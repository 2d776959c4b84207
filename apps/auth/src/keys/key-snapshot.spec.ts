import { generateKeyPairSync } from 'node:crypto';
import { materialFromPrivateKey } from './key-material';
import { buildSnapshot, type KeyState, type LoadedKey, transitionDue } from './key-snapshot';

const T = Date.parse('2030-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T + seconds * 1000);
const ec = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

function key(kid: string, state: KeyState): LoadedKey {
  return { ...state, material: materialFromPrivateKey('ES256', ec(), kid) };
}

const active = key('active', { status: 'active', activatesAt: at(-100), unpublishAt: null });
const next = key('next', { status: 'next', activatesAt: at(30), unpublishAt: null });
const retired = key('retired', { status: 'retired', activatesAt: at(-900), unpublishAt: at(20) });
const gone = key('gone', { status: 'retired', activatesAt: at(-2000), unpublishAt: at(0) });
const undated = key('undated', { status: 'retired', activatesAt: at(-3000), unpublishAt: null });

describe('key snapshot', () => {
  it('publishes no retired key past its unpublish time, nor one without any', () => {
    const snapshot = buildSnapshot([gone, undated, retired, next, active], T, 5000);
    expect(snapshot.jwks.keys.map((jwk) => jwk.kid)).toEqual(['active', 'next', 'retired']);
    expect([...snapshot.published.keys()]).toEqual(['active', 'next', 'retired']);
  });

  it('signs with the active key only, never the next one', () => {
    expect(buildSnapshot([next, active], T, 5000).signing?.kid).toBe('active');
    expect(buildSnapshot([next, retired], T, 5000).signing).toBeUndefined();
  });

  it('re-reads at the earliest of the beat, a promotion and an unpublication', () => {
    expect(buildSnapshot([active, next, retired], T, 5000).refreshAt).toBe(T + 5000);
    expect(buildSnapshot([active, next, retired], T, 60_000).refreshAt).toBe(T + 20_000);
    expect(buildSnapshot([active, next], T, 60_000).refreshAt).toBe(T + 30_000);
    expect(buildSnapshot([active, next], T, 60_000).latestActivation).toBe(T + 30_000);
  });

  it.each([
    ['no key at all', [], T, true],
    ['a next key but no active one', [next], T, true],
    ['a next key now due', [active, next], T + 30_000, true],
    ['a retired key now unpublished', [active, retired], T + 20_000, true],
    ['a next key not yet due', [active, next], T + 29_999, false],
    ['a retired key still published', [active, retired], T + 19_999, false],
    ['a retired key without an unpublish time (not deletable, so not due)', [active, undated], T, false],
  ] as const)('says a transition is due with %s: %s', (_, keys, now, due) => {
    expect(transitionDue(keys, now)).toBe(due);
  });
});
