import { loadSettings, SettingsError } from '@gatehouse/config';
import type { Repository } from 'typeorm';
import { AuthSettings } from '../auth.settings';
import { ClientLookup } from './client-lookup';
import type { ClientEntity } from './client.entity';

function lookupWith(ttlSeconds: number) {
  const rows = new Map<string, Pick<ClientEntity, 'id' | 'secretHash'>>([['svc', { id: 'svc', secretHash: 'old' }]]);
  const findOneBy = jest.fn(({ id }: { id: string }) => Promise.resolve(rows.get(id) ?? null));
  const settings = Object.assign(new AuthSettings(), { CLIENT_CACHE_TTL: ttlSeconds });
  const lookup = new ClientLookup({ findOneBy } as unknown as Repository<ClientEntity>, settings);
  return { rows, findOneBy, lookup };
}

describe('ClientLookup', () => {
  afterEach(() => jest.useRealTimers());

  it('reads a client once for CLIENT_CACHE_TTL seconds', async () => {
    jest.useFakeTimers();
    const { findOneBy, lookup } = lookupWith(5);
    await lookup.find('svc');
    await lookup.find('svc');
    expect(findOneBy).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(5_000);
    await lookup.find('svc');
    expect(findOneBy).toHaveBeenCalledTimes(2);
  });

  it('answers the changed row at once after forget', async () => {
    const { rows, lookup } = lookupWith(5);
    expect((await lookup.find('svc'))?.secretHash).toBe('old');
    rows.set('svc', { id: 'svc', secretHash: 'new' });
    lookup.forget('svc');
    expect((await lookup.find('svc'))?.secretHash).toBe('new');
  });

  it('reads on every call with CLIENT_CACHE_TTL=0', async () => {
    const { findOneBy, lookup } = lookupWith(0);
    await lookup.find('svc');
    await lookup.find('svc');
    expect(findOneBy).toHaveBeenCalledTimes(2);
  });

  it('takes CLIENT_CACHE_TTL from the environment: 5 by default, 0 to turn it off, never negative', () => {
    expect(loadSettings(AuthSettings, {}).settings.CLIENT_CACHE_TTL).toBe(5);
    expect(loadSettings(AuthSettings, { CLIENT_CACHE_TTL: '0' }).settings.CLIENT_CACHE_TTL).toBe(0);
    expect(() => loadSettings(AuthSettings, { CLIENT_CACHE_TTL: '-1' })).toThrow(SettingsError);
  });
});
