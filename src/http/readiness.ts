import type { FastifyBaseLogger } from 'fastify';
import type { Gatehouse } from '../gatehouse.js';

/** One dependency a node needs to do its work: resolves when it answers, rejects (or never settles) when it does not. */
export type ReadinessCheck = () => Promise<void>;

/** `ok`, or why not, in words that name nothing internal (the endpoint is public): `error` or `timeout`. */
export type CheckResult = 'ok' | 'error' | 'timeout';

export type ReadinessReport = { status: 'ready' } | { status: 'not_ready'; checks: Record<string, CheckResult | 'draining'> };

/** Long enough for a round trip to a loaded database; short enough that a probe (often 1 s timeouts itself) gets an answer. */
export const CHECK_TIMEOUT_MS = 1000;

/**
 * What /readyz answers: whether this node should be sent traffic. Not while it drains (after SIGTERM: a load balancer
 * should stop sending before the listener goes), and not while a dependency it needs for every request does not
 * answer. Liveness (/healthz) is separate: a node whose database is down is alive, and restarting it would not help.
 */
export class Readiness {
  private drainingSince: number | undefined;
  /** Whether the last report was ready, so a failing dependency is logged when it starts failing, not at every probe. */
  private lastReady = true;

  constructor(
    private readonly checks: Record<string, ReadinessCheck>,
    private readonly timeoutMs = CHECK_TIMEOUT_MS,
  ) {}

  /** From now on the node reports not ready, whatever its dependencies say. */
  startDraining(): void {
    this.drainingSince ??= Date.now();
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  async report(log?: FastifyBaseLogger): Promise<ReadinessReport> {
    // A draining node's store may be closing: no point asking it, and the answer must not depend on it.
    if (this.draining) return { status: 'not_ready', checks: { shutdown: 'draining' } };
    const names = Object.keys(this.checks);
    const outcomes = await Promise.all(names.map((name) => this.run(this.checks[name]!)));
    const ready = outcomes.every((outcome) => outcome.result === 'ok');
    if (ready !== this.lastReady) {
      this.lastReady = ready;
      if (ready) log?.info('readiness: every check answers again');
      else {
        const failing = Object.fromEntries(names.flatMap((name, i) => (outcomes[i]!.result === 'ok' ? [] : [[name, outcomes[i]!.reason]])));
        log?.warn({ failing }, 'readiness: not ready');
      }
    }
    if (ready) return { status: 'ready' };
    return { status: 'not_ready', checks: Object.fromEntries(names.map((name, i) => [name, outcomes[i]!.result])) };
  }

  /** One check, bounded: a dependency that hangs (a dropped packet, a pool waiting for a connection) is a failure too. */
  private async run(check: ReadinessCheck): Promise<{ result: CheckResult; reason?: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    try {
      const outcome = await Promise.race([check().then(() => 'ok' as const), timeout]);
      return outcome === 'ok' ? { result: 'ok' } : { result: 'timeout', reason: `no answer within ${this.timeoutMs} ms` };
    } catch (err) {
      return { result: 'error', reason: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The dependencies every request of a Gatehouse node needs: its store and its rate limiter (Redis, when shared). */
export function gatehouseReadiness(gatehouse: Gatehouse): Readiness {
  return new Readiness({
    database: () => gatehouse.storage.ping(),
    rateLimiter: () => gatehouse.rateLimiter.ready(),
  });
}
