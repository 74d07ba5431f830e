import type { CredentialHasher } from '../tokens/credential-hasher.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { INTERACTION_TTL_MS } from './interactions.js';

/**
 * The mark a request leaves when it sends the user to sign in afresh (`prompt=login`, `max_age`): when it asked, and
 * for which validated request, under the server's keyed hash so a browser cannot make or move one. The sign-in page
 * returns to the request with the mark; a sign-in after that time is the one asked for, and the request goes on.
 *
 * A mark rather than an interaction row: interactions belong to a user, and this one is made before anyone (or while
 * someone else) is signed in; the user who signs in may be another account. The mark carries nothing secret; it lives
 * as long as a consent page.
 */
export interface SignInDemandDeps {
  hasher: CredentialHasher;
  now: () => number;
}

/** The request parameter that carries the mark back from the sign-in page. */
export const SIGN_IN_DEMAND_PARAM = 'sign_in_demand';

const MARK = /^([0-9]{1,15})\.([0-9a-f]{64})$/;

export function demandSignIn(request: AuthorizationRequest, deps: SignInDemandDeps): string {
  const at = deps.now();
  return `${at}.${deps.hasher.hash(material(request, at))}`;
}

/** When the sign-in was asked for, if `mark` is this request's and is still fresh; else undefined. */
export function signInDemandedAt(mark: string | undefined, request: AuthorizationRequest, deps: SignInDemandDeps): number | undefined {
  const match = mark === undefined ? null : MARK.exec(mark);
  if (!match) return undefined;
  const at = Number(match[1]);
  if (at + INTERACTION_TTL_MS <= deps.now() || !deps.hasher.matches(material(request, at), match[2]!)) return undefined;
  return at;
}

function material(request: AuthorizationRequest, at: number): string {
  return `sign-in-demand:${at}:${JSON.stringify(request)}`;
}
