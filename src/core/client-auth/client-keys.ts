import { createLocalJWKSet, errors, type CompactJWSHeaderParameters, type FlattenedJWSInput, type JWTVerifyGetKey } from 'jose';
import { BoundedMap } from '../bounded-map.js';
import type { Client, ClientJwks } from '../clients/client.js';
import { JwksFetchError, type JwksFetcher } from './jwks-fetcher.js';

/** Longest a `jwks_uri`'s keys are used before it is read again, whatever its `Cache-Control` says. */
export const JWKS_CACHE_MAX_S = 300;
/**
 * Shortest time between two reads of one `jwks_uri`: after a failure, after an unknown `kid`, and for a publisher that
 * says `max-age=0`. A client (or anyone naming it) cannot make the server fetch once per request.
 */
export const JWKS_REFETCH_COOLDOWN_S = 30;
/** `jwks_uri`s remembered at once (per node); past it the oldest is read again when next needed. */
const REMOTE_SETS_KEPT = 1000;

/** The client has no keys to check with, or its `jwks_uri` could not be read; the message is for the client. */
export class ClientKeysUnavailable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ClientKeysUnavailable';
  }
}

interface RemoteKeySet {
  /** The last keys read (undefined: no read has succeeded yet). */
  keys: JWTVerifyGetKey | undefined;
  /** When the last read was attempted, and until when its keys are used without reading again. */
  attemptedAt: number;
  freshUntil: number;
  failure: string | undefined;
  reading: Promise<RemoteKeySet> | undefined;
}

/**
 * "The client's verification keys" (for `private_key_jwt` assertions and signed request objects): the JWK Set
 * registered inline, or the one its `jwks_uri` publishes, read through `JwksFetcher` and cached per node (at most
 * `JWKS_CACHE_MAX_S`, less when the publisher says so). A `kid` the cached set lacks makes one more read, at most once per
 * `JWKS_REFETCH_COOLDOWN_S`, so a client that rotates its keys is followed quickly and nobody can drive reads.
 */
export class ClientKeys {
  /** Keyed by the registered set itself: a client read again from the store (a changed registration) gets new keys. */
  private readonly inline = new WeakMap<ClientJwks, JWTVerifyGetKey>();
  private readonly remote = new BoundedMap<string, RemoteKeySet>(REMOTE_SETS_KEPT);

  constructor(
    private readonly fetcher: JwksFetcher,
    private readonly now: () => number,
  ) {}

  /** Whether the client registered keys at all. */
  static has(client: Client): boolean {
    return !!client.jwks || !!client.jwksUri;
  }

  /** A key lookup for `jwtVerify`: the client's key that matches a JWS header (`kid`, `alg`); throws when none does. */
  lookup(client: Client): JWTVerifyGetKey {
    if (client.jwks) {
      let keys = this.inline.get(client.jwks);
      if (!keys) this.inline.set(client.jwks, (keys = createLocalJWKSet(client.jwks)));
      return keys;
    }
    const uri = client.jwksUri;
    if (!uri) throw new ClientKeysUnavailable('This client has registered no keys (jwks or jwks_uri).');
    return (header, token) => this.remoteKey(uri, header, token);
  }

  private async remoteKey(uri: string, header: CompactJWSHeaderParameters, token: FlattenedJWSInput) {
    let set = await this.current(uri);
    try {
      return await this.keysOf(set)(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey) || this.now() - set.attemptedAt < JWKS_REFETCH_COOLDOWN_S * 1000) throw err;
      // An unknown kid: the client may have rotated its keys since the last read.
      set = await this.read(uri, set);
      return this.keysOf(set)(header, token);
    }
  }

  private keysOf(set: RemoteKeySet): JWTVerifyGetKey {
    if (!set.keys) throw new ClientKeysUnavailable(`The client's jwks_uri could not be read: ${set.failure ?? 'no answer yet'}.`);
    return set.keys;
  }

  /** The cached set while it is fresh (or while a failed read cools down), else a new read. */
  private current(uri: string): Promise<RemoteKeySet> {
    const set = this.remote.get(uri);
    if (!set) return this.read(uri, undefined);
    const now = this.now();
    const coolingDown = set.failure !== undefined && now - set.attemptedAt < JWKS_REFETCH_COOLDOWN_S * 1000;
    return now < set.freshUntil || coolingDown ? Promise.resolve(set) : this.read(uri, set);
  }

  /** One read at a time per URI: requests that arrive meanwhile wait for it. A failed read keeps the last good keys. */
  private read(uri: string, previous: RemoteKeySet | undefined): Promise<RemoteKeySet> {
    if (previous?.reading) return previous.reading;
    const attemptedAt = this.now();
    const set: RemoteKeySet = previous ?? { keys: undefined, attemptedAt, freshUntil: 0, failure: undefined, reading: undefined };
    set.attemptedAt = attemptedAt;
    this.remote.set(uri, set);
    set.reading = this.fetcher
      .fetch(uri)
      .then(
        ({ jwks, maxAgeSeconds }) => {
          const ttl = Math.min(Math.max(maxAgeSeconds ?? JWKS_CACHE_MAX_S, JWKS_REFETCH_COOLDOWN_S), JWKS_CACHE_MAX_S);
          set.keys = createLocalJWKSet(jwks);
          set.freshUntil = attemptedAt + ttl * 1000;
          set.failure = undefined;
        },
        (err: unknown) => {
          if (!(err instanceof JwksFetchError)) throw err;
          set.failure = err.message;
          set.freshUntil = 0;
        },
      )
      .then(() => set)
      .finally(() => {
        set.reading = undefined;
      });
    return set.reading;
  }
}
