import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { closeRedis, connectRedis } from './redis-connection.js';
import { once, secondsLeft, type LimitedSlot, type RateLimiter, type Reservation } from '../core/limits/rate-limiter.js';

/**
 * Takes a slot under every key, or none: a key is a hash of its count (`n`) and the id of the window (`w`, set by the
 * reservation that opened it, which also sets the expiry). Returns {1, window ids…} or {0, longest ms left of a full
 * window}. A script runs alone on the server, so no other node's reservation can slip between the check and the count.
 * ARGV: a new window's id, then each key's limit and window length in ms.
 */
const RESERVE = `
local fullFor = -1
for i, key in ipairs(KEYS) do
  local count = tonumber(redis.call('HGET', key, 'n') or '0')
  if count >= tonumber(ARGV[2 * i]) then
    local left = redis.call('PTTL', key)
    if left < 0 then left = tonumber(ARGV[2 * i + 1]) end
    if left > fullFor then fullFor = left end
  end
end
if fullFor >= 0 then return {0, fullFor} end
local windows = {1}
for i, key in ipairs(KEYS) do
  if redis.call('HSETNX', key, 'w', ARGV[1]) == 1 then redis.call('PEXPIRE', key, ARGV[2 * i + 1]) end
  redis.call('HINCRBY', key, 'n', 1)
  windows[i + 1] = redis.call('HGET', key, 'w')
end
return windows
`;

/** Gives each slot back to the window it was taken from; a window that has ended (or was replaced) is left alone. */
const RELEASE = `
for i, key in ipairs(KEYS) do
  if redis.call('HGET', key, 'w') == ARGV[i] and tonumber(redis.call('HGET', key, 'n') or '0') > 0 then
    redis.call('HINCRBY', key, 'n', -1)
  end
end
return 0
`;

interface LimiterScripts {
  gatehouseReserve(keyCount: number, ...keysThenArgs: Array<string | number>): Promise<Array<number | string>>;
  gatehouseRelease(keyCount: number, ...keysThenArgs: string[]): Promise<number>;
}

/** Rate-limit windows shared by every Gatehouse node through Redis: one script, one round trip, per decision. */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis & LimiterScripts;
  private windowCount = 0;
  /** Window ids need only differ from the ids other reservations of the same key chose: this node's nonce and a counter. */
  private readonly nodeNonce = randomBytes(6).toString('base64url');

  constructor(
    url: string,
    // Not the old 'gatehouse:rate:' string counters: a node of this version must not meet one of those as a hash.
    private readonly prefix = 'gatehouse:limit:',
  ) {
    const redis = connectRedis(url);
    // defineCommand sends EVALSHA and falls back to EVAL once when the server does not know the script yet.
    redis.defineCommand('gatehouseReserve', { lua: RESERVE });
    redis.defineCommand('gatehouseRelease', { lua: RELEASE });
    this.redis = redis as Redis & LimiterScripts;
  }

  async reserve(slots: readonly LimitedSlot[]): Promise<Reservation> {
    const keys = slots.map((slot) => this.prefix + slot.key);
    const args = slots.flatMap(({ limit }) => [limit.count, limit.windowSeconds * 1000]);
    const reply = await this.redis.gatehouseReserve(keys.length, ...keys, `${this.nodeNonce}.${++this.windowCount}`, ...args);
    if (Number(reply[0]) !== 1) return { allowed: false, retryAfter: secondsLeft(Number(reply[1])) };
    const windows = reply.slice(1).map(String);
    return {
      allowed: true,
      release: once(async () => {
        await this.redis.gatehouseRelease(keys.length, ...keys, ...windows);
      }),
    };
  }

  /**
   * A PING, but not while ioredis is between connections: it would queue the command and retry it, so the answer would
   * come only once Redis is back or the retries are spent, long after a readiness probe gave up.
   */
  async ready(): Promise<void> {
    if (this.redis.status !== 'ready') throw new Error(`Redis is not connected (${this.redis.status})`);
    await this.redis.ping();
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
  }
}
