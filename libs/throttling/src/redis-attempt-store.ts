import type Redis from 'ioredis';
import type { AttemptCount, AttemptStore, AttemptWindow } from './attempt-store';

// Each counter: INCR, expiry set on the first hit (fixed) or every hit (sliding), then its PTTL.
// A script keeps INCR and PEXPIRE together, so a crash between them never leaves a counter forever.
const HIT = `
local out = {}
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[2 * i - 1])
  local count = redis.call('INCR', key)
  if count == 1 or ARGV[2 * i] == '1' then redis.call('PEXPIRE', key, window) end
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, window)
    ttl = window
  end
  out[2 * i - 1] = count
  out[2 * i] = ttl
end
return out`;

const BLOCKED_FOR = `
local out = {}
for i, key in ipairs(KEYS) do
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then ttl = 0 end
  out[i] = ttl
end
return out`;

// Never shortens: a longer block (the account cap, say) outlives a shorter one set after it.
const BLOCK = `
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return {}`;

/**
 * The attempt store on Redis, shared by every instance. Keys get the connection's `keyPrefix`
 * (ioredis applies it to a script's KEYS too). A key is either a counter or a block, never both.
 */
export class RedisAttemptStore implements AttemptStore {
  constructor(private readonly client: Redis) {}

  async hit(windows: readonly AttemptWindow[]): Promise<AttemptCount[]> {
    if (windows.length === 0) return [];
    const keys = windows.map((window) => window.key);
    const args = windows.flatMap((window) => [String(Math.max(1, Math.ceil(window.windowMs))), window.sliding ? '1' : '0']);
    const reply = await this.eval(HIT, keys, args);
    return windows.map((_, index) => ({ count: reply[2 * index], resetInMs: reply[2 * index + 1] }));
  }

  async blockedFor(keys: readonly string[]): Promise<number[]> {
    if (keys.length === 0) return [];
    return this.eval(BLOCKED_FOR, keys, []);
  }

  async block(key: string, ms: number): Promise<void> {
    if (ms <= 0) return;
    await this.eval(BLOCK, [key], [String(Math.ceil(ms))]);
  }

  async clear(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.client.del(...keys);
  }

  private async eval(script: string, keys: readonly string[], args: readonly string[]): Promise<number[]> {
    const reply: unknown = await this.client.eval(script, keys.length, ...keys, ...args);
    if (!Array.isArray(reply) || reply.some((value) => typeof value !== 'number')) {
      throw new Error('unexpected reply from the attempt store script');
    }
    return reply as number[];
  }
}
