import { createHash, timingSafeEqual } from 'node:crypto';
import { invalidGrant } from '../errors/oauth-error.js';
import type { AuthorizationCode } from '../authorize/code-repository.js';

/** RFC 7636 §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~". */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * PKCE at the token endpoint (RFC 7636 §4.6). Also refuses the downgrade RFC 9700 §2.1.1 names: a `code_verifier`
 * sent for a code that was issued without a challenge.
 */
export function checkPkce(code: AuthorizationCode, verifier: string | undefined): void {
  if (code.codeChallenge === null) {
    if (verifier !== undefined)
      throw invalidGrant('pkce_failed', 'A code_verifier was sent, but the authorization request had no code_challenge.');
    return;
  }
  if (verifier === undefined)
    throw invalidGrant('pkce_failed', 'This code was issued with a code_challenge; the code_verifier is required.');
  if (!VERIFIER.test(verifier))
    throw invalidGrant('pkce_failed', 'The code_verifier is not 43 to 128 unreserved characters (RFC 7636 §4.1).');
  const derived = code.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier;
  const a = Buffer.from(derived);
  const b = Buffer.from(code.codeChallenge);
  if (a.length !== b.length || !timingSafeEqual(a, b))
    throw invalidGrant('pkce_failed', 'The code_verifier does not match the code_challenge.');
}
