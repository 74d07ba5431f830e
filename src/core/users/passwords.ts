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
