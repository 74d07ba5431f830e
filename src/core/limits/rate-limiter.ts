import type { RateLimit } from '../config/config.js';

/** One counter a request must find room in: its key and the limit that key is held to. */
export interface LimitedSlot {
  key: string;
  limit: RateLimit;
}

export type Reservation =
  | {
      allowed: true;
      /** Gives the slots back, in the windows they were taken from (a sign-in whose password was right). Idempotent. */
      release(): Promise<void>;
    }
  | {
      allowed: false;
      /** Seconds until the fullest window resets (for `Retry-After`). */
      retryAfter: number;
    };

/**
 * Fixed-window counters for Zoho's limits (spec §6: "blocked for the rest of the window") and for sign-in guesses. A
 * request reserves its slot before it does what the limit guards (checks a password, mints a token), in one atomic
 * step, so requests in flight together cannot all pass a check that each would pass alone. One node can keep the
 * counters in memory; several nodes must share them, which `RedisRateLimiter` does.
 */
export interface RateLimiter {
  /**
   * Takes one slot under every key at once: all of them when each key has room, none when any is full. A refused
   * reservation counts nothing, which changes nothing a client can see (a full fixed window stays full until it ends).
   */
  reserve(slots: readonly LimitedSlot[]): Promise<Reservation>;
  /**
   * Resolves when a reservation could be made now; rejects, saying why, when it could not (a shared store that does
   * not answer). For /readyz: a node that cannot count must not be sent sign-ins and token requests.
   */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Whole seconds a client should wait, never zero (a `Retry-After: 0` invites an immediate retry). */
export function secondsLeft(msLeft: number): number {
  return Math.max(1, Math.ceil(msLeft / 1000));
}

/** Wraps a release so that it gives the slots back once, however often it is called. */
export function once(release: () => Promise<void>): () => Promise<void> {
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    await release();
  };
}

interface Window {
  count: number;
  resetAt: number;
}

/** In-process counters; right for a single node. Each reservation runs without an await, so it is atomic. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, Window>();
  private reservationsSinceSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async reserve(slots: readonly LimitedSlot[]): Promise<Reservation> {
    const now = this.now();
    if (++this.reservationsSinceSweep >= 10_000) this.sweep(now);
    const windows = slots.map(({ key, limit }) => this.current(key, limit, now));
    let fullFor = 0;
    slots.forEach(({ limit }, i) => {
      if (windows[i]!.count >= limit.count) fullFor = Math.max(fullFor, windows[i]!.resetAt - now);
    });
    if (fullFor > 0) return { allowed: false, retryAfter: secondsLeft(fullFor) };
    slots.forEach(({ key }, i) => {
      windows[i]!.count++;
      this.windows.set(key, windows[i]!);
    });
    return {
      allowed: true,
      release: once(async () => {
        // A window that ended meanwhile is not credited: its successor counts only its own requests.
        slots.forEach(({ key }, i) => {
          if (this.windows.get(key) === windows[i] && windows[i]!.count > 0) windows[i]!.count--;
        });
      }),
    };
  }

  /** The live window of `key`, or a new empty one (not stored until a slot is taken in it). */
  private current(key: string, limit: RateLimit, now: number): Window {
    const window = this.windows.get(key);
    if (window && window.resetAt > now) return window;
    return { count: 0, resetAt: now + limit.windowSeconds * 1000 };
  }

  /** Drops finished windows so the map does not grow with every refresh token ever seen. */
  private sweep(now: number): void {
    this.reservationsSinceSweep = 0;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }

  /** Memory is always there. */
  async ready(): Promise<void> {}

  async close(): Promise<void> {
    this.windows.clear();
  }
}
