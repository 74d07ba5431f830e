import { randomBytes } from 'node:crypto';
import { Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * User passwords are low-entropy secrets, so unlike client secrets they get a slow, memory-hard KDF: argon2id with
 * the OWASP-recommended floor (19 MiB, 2 passes).
 */
const PARAMS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 8;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

export function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  return verify(storedHash, password).catch(() => false);
}

/**
 * A password an administrator hands on (the first admin's, a reset): 96 random bits, 16 URL-safe characters, so it
 * survives copying from a terminal or a page. It works once: the user must choose their own at the next sign-in.
 */
export function oneTimePassword(): string {
  return randomBytes(12).toString('base64url');
}
