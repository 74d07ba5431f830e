import type { RateLimit } from '../config/config.js';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets (for `Retry-After`). */
  retryAfter: number;
}

/**
 * Fixed-window counters for Zoho's limits (spec §6: "blocked for the rest of the window"). One node can keep them in
 * memory; several nodes must share them, which `RedisRateLimiter` does.
 */
export interface RateLimiter {
  /** Counts one event under `key` and says whether it is within `limit`. */
  hit(key: string, limit: RateLimit): Promise<RateDecision>;
  /** Whether one more event would be within `limit`, counting nothing. */
  peek(key: string, limit: RateLimit): Promise<RateDecision>;
  close(): Promise<void>;
}

export function decide(count: number, limit: RateLimit, msLeft: number): RateDecision {
  return { allowed: count <= limit.count, retryAfter: Math.max(1, Math.ceil(msLeft / 1000)) };
}

/** In-process counters; right for a single node. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private hitsSinceSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, limit: RateLimit): Promise<RateDecision> {
    const now = this.now();
    if (++this.hitsSinceSweep >= 10_000) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + limit.windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count++;
    return decide(window.count, limit, window.resetAt - now);
  }

  async peek(key: string, limit: RateLimit): Promise<RateDecision> {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || window.resetAt <= now) return decide(1, limit, limit.windowSeconds * 1000);
    return decide(window.count + 1, limit, window.resetAt - now);
  }

  /** Drops finished windows so the map does not grow with every refresh token ever seen. */
  private sweep(now: number): void {
    this.hitsSinceSweep = 0;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }
}
