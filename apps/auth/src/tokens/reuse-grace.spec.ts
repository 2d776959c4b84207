import { randomBytes } from 'node:crypto';
import type { RefreshTokenEntity } from './refresh-token.entity';
import { replayWithinGrace, type RotatedPair, sealPair } from './reuse-grace';

describe('the refresh reuse grace', () => {
  const rotated = randomBytes(32).toString('base64url');
  const pair: RotatedPair = {
    access_token: 'header.payload.signature',
    expires_in: 600,
    scope: 'profile',
    refresh_token: randomBytes(32).toString('base64url'),
  };
  const now = 1_700_000_000_000;
  const row = (changes: Partial<RefreshTokenEntity> = {}) =>
    ({
      id: 'row-1',
      replacedBy: 'row-2',
      reuseGraceUntil: new Date(now + 2_000),
      successorSealed: sealPair(rotated, 'row-1', pair, now),
      ...changes,
    }) as RefreshTokenEntity;

  it('answers the same pair within the grace, with the time its access token has left', () => {
    expect(replayWithinGrace(row(), rotated, now)).toEqual(pair);
    expect(replayWithinGrace(row(), rotated, now + 1_500)).toEqual({ ...pair, expires_in: 599 });
  });

  it('answers nothing once the grace is over, for a token not rotated, or for a pair sealed for another row or token', () => {
    expect(replayWithinGrace(row(), rotated, now + 2_000)).toBeUndefined();
    expect(replayWithinGrace(row({ replacedBy: null }), rotated, now)).toBeUndefined();
    expect(replayWithinGrace(row({ successorSealed: null }), rotated, now)).toBeUndefined();
    expect(replayWithinGrace(row({ id: 'row-9' }), rotated, now)).toBeUndefined();
    expect(replayWithinGrace(row(), randomBytes(32).toString('base64url'), now)).toBeUndefined();
  });

  it('never holds the pair in clear', () => {
    const sealed = sealPair(rotated, 'row-1', pair, now);
    expect(sealed).not.toContain(pair.refresh_token);
    expect(Buffer.from(sealed.split('.')[2], 'base64url').toString('utf8')).not.toContain(pair.refresh_token);
  });
});
