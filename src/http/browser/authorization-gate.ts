import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticationStep, type AuthenticationStep } from '../../core/authorize/authentication.js';
import { AuthorizationFailure, type AuthorizationRequest } from '../../core/authorize/authorization-request.js';
import { validateAuthorizationRequest } from '../../core/authorize/pipeline.js';
import { demandSignIn, SIGN_IN_DEMAND_PARAM, signInDemandedAt } from '../../core/authorize/sign-in-demand.js';
import { interactionRequired, loginRequired, unmetAuthenticationRequirements } from '../../core/errors/oauth-error.js';
import { hasSecondFactor } from '../../core/mfa/second-factor.js';
import { continuationQuery, takePushedAuthorization } from '../../core/par/pushed-authorization.js';
import type { RequestParams } from '../../core/params/request-params.js';
import type { SignIn } from '../../core/sessions/sessions.js';
import type { User } from '../../core/users/user.js';
import { authorizationCheckDeps } from './authorization-deps.js';
import type { BrowserContext } from './browser-context.js';

/** The path that brings the browser back to the request after a detour; made only when it must leave. */
export type ReturnTo = () => Promise<string>;

/** Either the sign-in the request goes on with, or the reply that took the browser elsewhere first. */
export type GateOutcome = { signIn: SignIn } | { reply: FastifyReply };

/**
 * What every endpoint that takes an authorization request does before its own part (the authorization endpoint, and
 * org-level authorization): read the request, plain or pushed, and make sure the right person is signed in well
 * enough, detouring through sign-in, a second step or a required account change and back to this very request.
 */
export interface AuthorizationGate {
  /**
   * The request this URL carries: its own parameters, validated, or a pushed one its request_uri names (RFC 9126 §4),
   * taken. With how to come back to it after a detour: the same URL, or for a pushed request (used up by now) a fresh
   * request_uri, made only when the browser must leave.
   */
  authorizationOf(request: FastifyRequest, params: RequestParams): Promise<[AuthorizationRequest, ReturnTo]>;
  /** The sign-in the request may go on with, or where the browser was sent first; `prompt=none` fails instead. */
  signedIn(
    request: FastifyRequest,
    reply: FastifyReply,
    params: RequestParams,
    authorization: AuthorizationRequest,
    returnTo: ReturnTo,
  ): Promise<GateOutcome>;
}

export function authorizationGate(context: BrowserContext): AuthorizationGate {
  const { gatehouse } = context;
  const { storage } = gatehouse;
  const checkDeps = authorizationCheckDeps(gatehouse);
  const parkingDeps = { pushedRequests: storage.pushedRequests, hasher: gatehouse.hasher, now: gatehouse.now };

  /**
   * Sends a user who must first choose a password or add a required factor to that page and back, if they must;
   * with `prompt=none` the request fails with `interaction_required` instead.
   */
  const detourFirst = async (
    reply: FastifyReply,
    authorization: AuthorizationRequest,
    user: User,
    returnTo: ReturnTo,
  ): Promise<FastifyReply | undefined> => {
    const detour = await context.detourFor(user, returnTo);
    if (detour === undefined) return undefined;
    if (!authorization.prompts.includes('none')) return reply.redirect(detour, 303);
    throw new AuthorizationFailure(interactionRequired('interaction_needed', 'The user must complete their account first.'), authorization);
  };

  /**
   * Takes the browser where the request's sign-in is made (a fresh one, or the second step of a step-up) and back to
   * this request; with `prompt=none`, which shows no page, the request fails instead (OpenID Connect Core §3.1.2.6).
   */
  const authenticate = async (
    reply: FastifyReply,
    authorization: AuthorizationRequest,
    signIn: SignIn | undefined,
    step: Exclude<AuthenticationStep, 'done'>,
    returnTo: ReturnTo,
  ): Promise<FastifyReply> => {
    if (step === 'second_factor' && !(await hasSecondFactor(signIn!.user.zuid, gatehouse))) {
      // A user the policy asks to add a factor adds it now, then steps up with it; anyone else has none to give.
      const detour = await detourFirst(reply, authorization, signIn!.user, returnTo);
      if (detour) return detour;
      throw new AuthorizationFailure(
        unmetAuthenticationRequirements('multi_factor_unavailable', 'The request asks for a second factor, and the user has none.'),
        authorization,
      );
    }
    if (authorization.prompts.includes('none')) {
      const why = step === 'second_factor' ? 'The request asks for a second factor.' : 'The user must sign in.';
      throw new AuthorizationFailure(loginRequired('login_needed', why), authorization);
    }
    if (step === 'second_factor') return context.toSecondStep(reply, signIn!.user.zuid, await returnTo());
    if (step === 'sign_in') return context.redirectToSignIn(reply, await returnTo());
    return context.redirectToSignIn(reply, withSignInDemand(await returnTo(), demandSignIn(authorization, gatehouse)), { fresh: true });
  };

  return {
    async authorizationOf(request, params) {
      if (params.get('request_uri') === undefined) {
        return [await validateAuthorizationRequest(params, checkDeps), async () => request.url];
      }
      const authorization = await takePushedAuthorization(params, parkingDeps);
      const path = request.url.split('?', 1)[0]!;
      return [authorization, async () => `${path}?${await continuationQuery(authorization, parkingDeps)}`];
    },

    async signedIn(request, reply, params, authorization, returnTo) {
      const signIn = await context.currentSignIn(request);
      const demandedAt = signInDemandedAt(params.get(SIGN_IN_DEMAND_PARAM), authorization, gatehouse);
      const step = authenticationStep(authorization, signIn, gatehouse.now(), demandedAt);
      if (step !== 'done') return { reply: await authenticate(reply, authorization, signIn, step, returnTo) };
      const user = signIn!.user;
      if (authorization.expectedSubject !== null && authorization.expectedSubject !== user.zuid) {
        throw new AuthorizationFailure(
          loginRequired('login_needed', 'The signed-in user is not the one the request names.'),
          authorization,
        );
      }
      // Still on a one-time password, or without a factor the policy requires: that page first, then back here.
      const detour = await detourFirst(reply, authorization, user, returnTo);
      return detour ? { reply: detour } : { signIn: signIn! };
    },
  };
}

/** This request's URL with the mark of the sign-in it asked for (an earlier mark replaced, so it is never repeated). */
function withSignInDemand(url: string, mark: string): string {
  const [path, query = ''] = url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.set(SIGN_IN_DEMAND_PARAM, mark);
  return `${path}?${params}`;
}
