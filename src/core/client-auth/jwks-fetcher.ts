import type { ClientJwks } from '../clients/client.js';

/** A client's JWK Set as read from its `jwks_uri`, and how long its publisher says it may be cached. */
export interface FetchedJwks {
  jwks: ClientJwks;
  /** `Cache-Control: max-age`, seconds; undefined when the answer named none. */
  maxAgeSeconds: number | undefined;
}

/**
 * Reads a client's `jwks_uri`. Core owns the interface; the HTTP implementation (`HttpJwksFetcher`) bounds what a
 * client-chosen URL may cost the server: a timeout, a size limit and no redirects. Throws `JwksFetchError`.
 */
export interface JwksFetcher {
  fetch(uri: string): Promise<FetchedJwks>;
}

/** Why a `jwks_uri` gave no keys; the message is safe to show the client (it names its own URL's failure). */
export class JwksFetchError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JwksFetchError';
  }
}
