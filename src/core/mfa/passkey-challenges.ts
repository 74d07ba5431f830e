import { randomBytes } from 'node:crypto';
import type { RateLimit } from '../config/config.js';
import { ManagementError } from '../errors/management-error.js';
import { addressBucket } from '../limits/address-bucket.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { StoreOf } from '../store.js';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import type { ChallengePurpose, PasskeyChallenge } from './passkey-repository.js';

/** Long enough to touch a security key or find the phone; the browser's own prompt times out at the same point. */
export const CHALLENGE_MS = 5 * 60_000;

/**
 * Each challenge is a row, and "Sign in with a passkey" asks for one before anyone is known: an address may ask this
 * often (a person needs a few), so nobody fills the store with them.
 */
export const CHALLENGE_LIMIT: RateLimit = { count: 30, windowSeconds: 5 * 60 };

export interface ChallengeDeps {
  storage: StoreOf<'passkeyChallenges'>;
  hasher: CredentialHasher;
  rateLimiter: RateLimiter;
  now: () => number;
}

/** The keyed hash a challenge is stored under: a leaked row cannot be answered for. */
const challengeId = (challenge: string, hasher: CredentialHasher) => hasher.hash(`passkey-challenge:${challenge}`);

/**
 * A new challenge (32 random bytes) for `purpose`, stored until answered or expired; returns its value. The address's
 * place under `CHALLENGE_LIMIT` is reserved first.
 */
export async function issueChallenge(
  purpose: ChallengePurpose,
  userZuid: string | null,
  address: string,
  deps: ChallengeDeps,
): Promise<Uint8Array<ArrayBuffer>> {
  const reservation = await deps.rateLimiter.reserve([{ key: `passkey-challenge:${addressBucket(address)}`, limit: CHALLENGE_LIMIT }]);
  if (!reservation.allowed)
    throw new ManagementError(
      'mfa.throttled',
      `Too many passkey attempts. Try again in ${Math.ceil(reservation.retryAfter / 60)} minutes.`,
      429,
    );
  const challenge = new Uint8Array(randomBytes(32));
  await deps.storage.passkeyChallenges.save({
    id: challengeId(Buffer.from(challenge).toString('base64url'), deps.hasher),
    purpose,
    userZuid,
    expiresAt: deps.now() + CHALLENGE_MS,
  });
  return challenge;
}

/**
 * Takes the challenge a browser answered (as its client data names it), once: true only when it was issued for this
 * purpose (and user) and has not expired or been answered before. Any answer uses it up, right or wrong.
 */
export async function takeChallenge(
  challenge: string,
  expected: Pick<PasskeyChallenge, 'purpose' | 'userZuid'>,
  deps: ChallengeDeps,
): Promise<boolean> {
  if (challenge.length > 200) return false;
  const taken = await deps.storage.passkeyChallenges.consume(challengeId(challenge, deps.hasher), deps.now());
  return taken !== undefined && taken.purpose === expected.purpose && taken.userZuid === expected.userZuid;
}
