/**
 * An authorization request a client pushed (RFC 9126), waiting for the browser to bring its `request_uri`. `id` is
 * the keyed hash of the request_uri's random part, so nothing in the store can be replayed if it leaks.
 */
export interface PushedRequest {
  id: string;
  clientId: string;
  /** The validated authorization request, as JSON. */
  request: string;
  expiresAt: number;
}

export interface PushedRequestRepository {
  create(pushed: PushedRequest): Promise<void>;
  /**
   * Takes the live request stored under `id` for `clientId`, atomically and once: of several takes on any nodes, one
   * gets it. Another client's take finds nothing and leaves it.
   */
  take(id: string, clientId: string, now: number): Promise<PushedRequest | undefined>;
  deleteExpired(before: number): Promise<number>;
}
