import { invalidRequest } from '../../errors/oauth-error.js';
import { isOneOf } from '../../params/definitions.js';
import { CODE_CHALLENGE_METHODS, isImplicit } from '../authorization-parameters.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/** A S256 challenge is the base64url SHA-256 of the verifier: 43 characters (RFC 7636 §4.2). */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * PKCE at the authorization endpoint (RFC 7636 §4.3). Mobile and client-based apps must send a challenge (spec: PKCE
 * required for public clients; RFC 9700 §2.1.1). Only S256 is accepted: `plain` protects nothing a stolen request
 * does not already reveal, and an absent method means `plain` (RFC 7636 §4.3).
 */
export const checkPkce: AuthorizationCheck = (context) => {
  const challenge = context.params.get('code_challenge');
  const method = context.params.get('code_challenge_method');
  if (isImplicit(context.responseType)) {
    context.codeChallenge = null;
    context.codeChallengeMethod = null;
    return;
  }
  if (challenge === undefined) {
    if (method !== undefined) throw invalidRequest('pkce_required', 'code_challenge_method was sent without a code_challenge.');
    const type = context.client!.type;
    if (type === 'mobile' || type === 'client') {
      throw invalidRequest('pkce_required', 'This application must use PKCE: send code_challenge and code_challenge_method=S256.');
    }
    context.codeChallenge = null;
    context.codeChallengeMethod = null;
    return;
  }
  if (method === undefined || !isOneOf(CODE_CHALLENGE_METHODS, method)) {
    throw invalidRequest('pkce_method_unsupported', `code_challenge_method must be ${CODE_CHALLENGE_METHODS.join(' or ')}.`);
  }
  if (!S256_CHALLENGE.test(challenge))
    throw invalidRequest('invalid_parameter', 'code_challenge must be 43 base64url characters (RFC 7636 §4.2).');
  context.codeChallenge = challenge;
  context.codeChallengeMethod = method;
};
