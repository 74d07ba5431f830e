import { isMultiFactor } from '../oidc/acr.js';
import type { AuthorizationRequest } from './authorization-request.js';

/**
 * What an authorization request still needs from the browser's user before it can be answered:
 * - `sign_in`: nobody is signed in;
 * - `fresh_sign_in`: a sign-in made for this request (`prompt=login` or `select_account`, or one older than `max_age`);
 * - `second_factor`: the request asks for multi-factor and the session signed in with a password only (step-up);
 * - `done`: the session will do.
 */
export type AuthenticationStep = 'done' | 'sign_in' | 'fresh_sign_in' | 'second_factor';

/**
 * Decides the step (OpenID Connect Core §3.1.2.3). `demandedAt` is when this request sent the user to sign in afresh,
 * if it did (see sign-in-demand.ts): a sign-in after it is the one the request asked for, so `prompt=login` and
 * `max_age` are met and the request goes on instead of asking again forever. Strictly after: the session the request
 * found is not the fresh one, even within one clock tick.
 */
export function authenticationStep(
  request: AuthorizationRequest,
  signIn: { amr: string; authTime: number } | undefined,
  now: number,
  demandedAt: number | undefined,
): AuthenticationStep {
  if (!signIn) return asksForFreshSignIn(request) ? 'fresh_sign_in' : 'sign_in';
  const signedInAsAsked = demandedAt !== undefined && signIn.authTime > demandedAt;
  if (!signedInAsAsked && (forcesSignIn(request) || tooOld(request, signIn.authTime, now))) return 'fresh_sign_in';
  if (request.multiFactor && !isMultiFactor(signIn.amr)) return 'second_factor';
  return 'done';
}

/** A request whose sign-in must be made for it, whatever session there is (or will be by then). */
function asksForFreshSignIn(request: AuthorizationRequest): boolean {
  return forcesSignIn(request) || request.maxAge !== null;
}

/** Gatehouse keeps one session per browser, so choosing an account is signing in again as whoever one chooses. */
function forcesSignIn(request: AuthorizationRequest): boolean {
  return request.prompts.includes('login') || request.prompts.includes('select_account');
}

/** §3.1.2.1: `max_age=0` is `prompt=login`; the comparison is in milliseconds, so any earlier sign-in is too old. */
function tooOld(request: AuthorizationRequest, authTime: number, now: number): boolean {
  return request.maxAge !== null && now - authTime > request.maxAge * 1000;
}
