import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify, type JWK } from 'jose';

/**
 * DPoP proofs (RFC 9449 §4.3), checked the same way by the authorization server's token endpoint and by resource
 * servers: this module is the one checker both use, so the rules live in one place.
 */

/** Asymmetric algorithms only: never `none`, never an HMAC (a proof must prove possession of a private key). */
export const DPOP_ALGORITHMS = ['ES256', 'EdDSA', 'RS256', 'PS256'] as const;

/** How far a proof's `iat` may lie from the checker's clock, either way, in seconds; also how long its `jti` is kept. */
export const DPOP_PROOF_WINDOW_SECONDS = 60;

/** A `jti` longer than this is refused rather than remembered: the replay cache holds what clients send. */
const MAX_JTI_LENGTH = 256;

/** JWK members only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

export type DpopErrorCode = 'invalid_dpop_proof' | 'use_dpop_nonce';

/** Why a proof was refused, as RFC 9449 names it; the message is public text. */
export class DpopProofError extends Error {
  constructor(
    readonly code: DpopErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DpopProofError';
  }
}

/**
 * Remembers each proof's `jti` for the proof window, so that a proof is accepted once. `firstUse` answers whether the
 * key was new, and stores it in the same step (so two requests racing with one proof cannot both pass).
 */
export interface ReplayCache {
  firstUse(key: string, ttlMs: number): boolean | Promise<boolean>;
}

/**
 * One process's replay cache, bounded: when full, expired entries go first, then the oldest. Right for one node; nodes
 * sharing traffic must share the cache (Gatehouse uses Redis), or a proof replayed at another node passes.
 */
export class MemoryReplayCache implements ReplayCache {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  firstUse(key: string, ttlMs: number): boolean {
    const now = this.now();
    const until = this.seen.get(key);
    if (until !== undefined && until > now) return false;
    if (this.seen.size >= this.maxEntries) this.makeRoom(now);
    this.seen.delete(key);
    this.seen.set(key, now + ttlMs);
    return true;
  }

  private makeRoom(now: number): void {
    for (const [key, until] of this.seen) if (until <= now) this.seen.delete(key);
    // Still full of live entries: the oldest goes (insertion order), which reopens a replay only far past any real load.
    if (this.seen.size >= this.maxEntries) this.seen.delete(this.seen.keys().next().value!);
  }
}

/** What the request a proof comes with must match. */
export interface ProofExpectations {
  /** The request's method (`htm`). */
  method: string;
  /** The request's public URL (`htu`): compared without query and fragment, scheme and host in any case, default port or none. */
  url: string;
  /** At a resource server, the access token the request carries: the proof's `ath` must be its hash. */
  accessToken?: string;
  /**
   * Where the server issues nonces (RFC 9449 §8): whether the proof's `nonce` is one it issued and still honours.
   * A refusal is `use_dpop_nonce`, so the client retries with the nonce the answer carries.
   */
  nonceIsCurrent?: (nonce: string | undefined) => boolean;
}

/** A proof that passed: the key's thumbprint (RFC 7638), which is what tokens are bound to (`cnf.jkt`). */
export interface VerifiedProof {
  jkt: string;
}

export interface DpopVerifierOptions {
  /** Where used `jti`s are kept; one process's memory by default. */
  replay?: ReplayCache;
  /** Epoch milliseconds. */
  now?: () => number;
}

/** Checks DPoP proofs: every rule of RFC 9449 §4.3, and each proof once. */
export class DpopVerifier {
  private readonly replay: ReplayCache;
  private readonly now: () => number;

  constructor(options: DpopVerifierOptions = {}) {
    this.now = options.now ?? Date.now;
    this.replay = options.replay ?? new MemoryReplayCache(undefined, this.now);
  }

  /** The proof's key thumbprint; rejects with a `DpopProofError` naming the first rule it breaks. */
  async verify(proof: string, expected: ProofExpectations): Promise<VerifiedProof> {
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: [...DPOP_ALGORITHMS],
      requiredClaims: ['iat', 'jti', 'htm', 'htu'],
      currentDate: new Date(this.now()),
    }).catch((err: unknown) => {
      throw invalid(`The DPoP proof is not a valid dpop+jwt signed by its jwk: ${(err as Error).message}.`);
    });
    const jwk = protectedHeader.jwk as JWK;
    if (PRIVATE_MEMBERS.some((member) => member in jwk)) throw invalid('The DPoP proof jwk must be a public key.');
    if (payload.htm !== expected.method) throw invalid('The DPoP proof htm does not match the request method.');
    if (typeof payload.htu !== 'string' || !sameResource(payload.htu, expected.url)) {
      throw invalid('The DPoP proof htu does not match the request URL.');
    }
    const iat = payload.iat!;
    if (Math.abs(this.now() / 1000 - iat) > DPOP_PROOF_WINDOW_SECONDS) {
      throw invalid(`The DPoP proof iat is more than ${DPOP_PROOF_WINDOW_SECONDS} seconds from the server's time.`);
    }
    if (typeof payload.jti !== 'string' || payload.jti === '' || payload.jti.length > MAX_JTI_LENGTH) {
      throw invalid(`The DPoP proof jti must be a string of 1 to ${MAX_JTI_LENGTH} characters.`);
    }
    if (expected.accessToken !== undefined && payload.ath !== accessTokenHash(expected.accessToken)) {
      throw invalid('The DPoP proof ath does not match the access token.');
    }
    const nonce = typeof payload.nonce === 'string' ? payload.nonce : undefined;
    if (expected.nonceIsCurrent && !expected.nonceIsCurrent(nonce)) {
      throw new DpopProofError('use_dpop_nonce', 'Use the DPoP nonce the server provided (DPoP-Nonce header).');
    }
    const jkt = await calculateJwkThumbprint(jwk, 'sha256');
    // Last: a proof refused for any other reason has not used up its jti. Keyed by the key too, so one client's jti
    // values cannot collide with another's.
    const firstUse = await this.replay.firstUse(`${jkt}.${payload.jti}`, 2 * DPOP_PROOF_WINDOW_SECONDS * 1000);
    if (!firstUse) throw invalid('The DPoP proof has been used before (its jti was seen).');
    return { jkt };
  }
}

/** `ath` (RFC 9449 §4.2): base64url SHA-256 of the access token's ASCII. */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/**
 * RFC 9449 §4.3 step 9: `htu` is the request URI without query and fragment, compared after normalisation (RFC 3986
 * §6: scheme and host in any case, a default port the same as none). The URL parser does exactly that.
 */
function sameResource(htu: string, url: string): boolean {
  const a = parseUrl(htu);
  const b = parseUrl(url);
  return a !== undefined && b !== undefined && a.origin !== 'null' && a.origin === b.origin && a.pathname === b.pathname;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function invalid(message: string): DpopProofError {
  return new DpopProofError('invalid_dpop_proof', message);
}
