import { randomInt } from 'node:crypto';
import type { CredentialHasher } from '../tokens/credential-hasher.js';

/** Ten codes, each good once, for when the phone is lost. */
export const RECOVERY_CODE_COUNT = 10;

/** Lower-case letters and digits without the ones people confuse (0/o, 1/l/i). */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const LENGTH = 10;

/** A new set of codes, written `xxxxx-xxxxx` (about 50 random bits each: too many to guess under the sign-in limits). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/**
 * The keyed hash a code is stored under: high-entropy like a token, so a keyed fast hash (not argon2) is enough.
 * Case, spaces and dashes do not matter; the user's zuid is part of it, so a code is only ever its own user's.
 */
export function recoveryCodeHash(userZuid: string, code: string, hasher: CredentialHasher): string {
  return hasher.hash(`recovery-code:${userZuid}:${code.toLowerCase().replace(/[\s-]/g, '')}`);
}
