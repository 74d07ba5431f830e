import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** How long one nonce is issued; a nonce is honoured for its own period and the next, so 5 to 10 minutes in all. */
export const DPOP_NONCE_PERIOD_MS = 5 * 60_000;

/**
 * Server-provided DPoP nonces (RFC 9449 §8), which bound how early a proof can have been made: a proof signed before
 * its nonce was issued cannot carry it. Stateless, so every node issues and honours the same ones without sharing
 * anything: a nonce is the HMAC of its time period under a key derived from the server key (`GATEHOUSE_SECRET_KEY`).
 */
export class DpopNonces {
  private readonly key: Buffer;
  private period = -1;
  private value = '';

  constructor(
    serverKey: Buffer,
    private readonly now: () => number,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', serverKey, new Uint8Array(0), 'gatehouse dpop nonce', 32));
  }

  /** The nonce of the current period, for a `DPoP-Nonce` header; computed once a period. */
  current(): string {
    const period = Math.floor(this.now() / DPOP_NONCE_PERIOD_MS);
    if (period !== this.period) {
      this.value = this.nonceOf(period);
      this.period = period;
    }
    return this.value;
  }

  /** Whether `nonce` is this period's or the last one's (a client holding the last one is not made to retry at once). */
  isCurrent(nonce: string | undefined): boolean {
    if (nonce === undefined) return false;
    const presented = Buffer.from(nonce);
    // current() first: it moves `period` on when a new one has begun.
    return [this.current(), this.nonceOf(this.period - 1)].some((honoured) => {
      const expected = Buffer.from(honoured);
      return expected.length === presented.length && timingSafeEqual(expected, presented);
    });
  }

  private nonceOf(period: number): string {
    return createHmac('sha256', this.key).update(String(period)).digest('base64url');
  }
}
