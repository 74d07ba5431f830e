import type { GatehouseEvents, SignInOutcome, SignInStep } from './events.js';

const HOUR_MS = 60 * 60 * 1000;

/** Hours the overview shows, ending with the current one. */
export const HOURS_KEPT = 24;

interface HourCounts {
  /** Whole hours since the epoch this slot counts; a slot of an older hour is reused, its counts zeroed. */
  hour: number;
  tokens: number;
  signIns: number;
  failedSignIns: number;
}

/** Per-hour counts, oldest first, each hour's start in epoch milliseconds. */
export interface ActivitySeries {
  hourStarts: number[];
  tokens: number[];
  signIns: number[];
  /** Wrong passwords, unknown emails and wrong second-factor codes, and attempts the sign-in limit refused unchecked. */
  failedSignIns: number[];
}

/**
 * The console's overview counts: tokens issued, sign-ins and failed sign-ins per hour for the last 24 hours, in a
 * ring of 24 slots. Kept in this process's memory, from the same events as the metrics: per node, and only since
 * the process started (a longer or cluster-wide history is what Prometheus is for).
 */
export class HourlyActivity implements GatehouseEvents {
  private readonly slots: HourCounts[] = Array.from({ length: HOURS_KEPT }, () => ({ hour: -1, tokens: 0, signIns: 0, failedSignIns: 0 }));

  constructor(private readonly now: () => number) {}

  tokenIssued(): void {
    this.current().tokens++;
  }

  /**
   * Counted by their password step, whether or not a second factor follows, so one sign-in counts once; a wrong
   * second-factor code counts as a failed sign-in too.
   */
  signIn(outcome: SignInOutcome, step: SignInStep): void {
    if (step === 'second_factor' && outcome === 'success') return;
    if (outcome === 'success') this.current().signIns++;
    else this.current().failedSignIns++;
  }

  /** Not charted: revocations and limit refusals are in the metrics only. */
  revoked(): void {}

  limitRefused(): void {}

  series(): ActivitySeries {
    const latest = Math.floor(this.now() / HOUR_MS);
    const series: ActivitySeries = { hourStarts: [], tokens: [], signIns: [], failedSignIns: [] };
    for (let hour = latest - HOURS_KEPT + 1; hour <= latest; hour++) {
      const slot = this.slots[hour % HOURS_KEPT]!;
      const counted = slot.hour === hour;
      series.hourStarts.push(hour * HOUR_MS);
      series.tokens.push(counted ? slot.tokens : 0);
      series.signIns.push(counted ? slot.signIns : 0);
      series.failedSignIns.push(counted ? slot.failedSignIns : 0);
    }
    return series;
  }

  private current(): HourCounts {
    const hour = Math.floor(this.now() / HOUR_MS);
    const slot = this.slots[hour % HOURS_KEPT]!;
    if (slot.hour !== hour) {
      slot.hour = hour;
      slot.tokens = slot.signIns = slot.failedSignIns = 0;
    }
    return slot;
  }
}
