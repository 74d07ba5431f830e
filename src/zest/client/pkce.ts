import { createHash, randomBytes } from 'node:crypto';

/** A fresh PKCE pair (RFC 7636 §4.1, §4.2): 43 base64url characters of randomness, and their S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier, 'ascii').digest('base64url') };
}
