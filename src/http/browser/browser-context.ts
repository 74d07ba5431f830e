import type { FastifyReply, FastifyRequest } from 'fastify';
import { liveSession, renewSession, SESSION_TTL_MS, sessionSignIn, type SessionDeps, type SignIn } from '../../core/sessions/sessions.js';
import { signOut } from '../../core/logout/sign-out.js';
import { mustAddFactor } from '../../core/mfa/policy.js';
import { PENDING_SIGN_IN_MS, pendingSignInTicket } from '../../core/mfa/second-factor.js';
import { relyingParty } from '../../core/mfa/relying-party.js';
import type { User } from '../../core/users/user.js';
import type { Gatehouse } from '../../gatehouse.js';
import { clearCookie, cookieNames, readCookie, setCookie, type CookieNames } from './cookies.js';
import { Csrf } from './csrf.js';
import { nextLocation } from './next-location.js';

/** What the page routes share: the services, the cookies, CSRF, and who is signed in. */
export interface BrowserContext {
  gatehouse: Gatehouse;
  secure: boolean;
  cookies: CookieNames;
  csrf: Csrf;
  sessions: SessionDeps;
  /** Whether the pages offer passkeys: the issuer is a host name (browsers refuse WebAuthn on an IP address). */
  passkeys: boolean;
  currentUser(request: FastifyRequest): Promise<User | undefined>;
  /** The signed-in user and how they signed in (`amr`), for what an id_token will say. */
  currentSignIn(request: FastifyRequest): Promise<SignIn | undefined>;
  /**
   * The signed-in user who may go on. Otherwise sends the browser where it must go first (sign-in, choosing a
   * password after a one-time one, adding a second factor the policy requires) and then back to this request, and
   * returns undefined.
   */
  userOrDetour(request: FastifyRequest, reply: FastifyReply): Promise<User | undefined>;
  /** The same decision for a user the caller has read already (so the session is read once). */
  readyOrDetour(request: FastifyRequest, reply: FastifyReply, user: User | undefined): Promise<User | undefined>;
  /**
   * Where a signed-in user must go first (choose a password, add a required factor) before `returnTo`; or undefined.
   * `returnTo` may be how to make the path, made only when there is a detour (a pushed request parks itself again).
   */
  detourFor(user: User, returnTo: string | (() => Promise<string>)): Promise<string | undefined>;
  /**
   * Sends the user to sign in and then back to `returnTo` (a path on this server). `fresh`: show the sign-in form even
   * to a browser that is signed in (`prompt=login`).
   */
  redirectToSignIn(reply: FastifyReply, returnTo: string, options?: { fresh: boolean }): FastifyReply;
  /**
   * Sends a user who passed the password to the second step, and after it to `returnTo`: after the password form, and
   * for a step-up, when a request asks for more than the password the session signed in with.
   */
  toSecondStep(reply: FastifyReply, userZuid: string, returnTo: string): Promise<FastifyReply>;
  /**
   * Gives this browser a new session for `userZuid`, signed in by `amr`, ending the one it had: after sign-in and after
   * any change to what the session may do, so a session value someone planted or saw before is worth nothing (no
   * session fixation).
   */
  beginSession(request: FastifyRequest, reply: FastifyReply, userZuid: string, amr: string): Promise<void>;
  /** Signs this browser out (`signOut`: audited, clients told); `clientId`: the client of an RP-initiated logout. */
  endSession(request: FastifyRequest, reply: FastifyReply, clientId?: string): Promise<void>;
  /** Where a `return_to` the request carries may send the browser: a path on this server, else the user's home page. */
  returnTo(value: string | undefined): string;
}

/** The page that adds an authenticator app, then goes on to `returnTo` (a checked path on this server). */
export const addFactorPath = (returnTo: string): string => `/account/security/totp?return_to=${encodeURIComponent(returnTo)}`;

/** Where a signed-in user lands when there is nowhere (safe) to go back to. */
const HOME = '/account/connected-apps';

export function browserContext(gatehouse: Gatehouse): BrowserContext {
  const issuer = new URL(gatehouse.config.issuer);
  const secure = issuer.protocol === 'https:';
  const cookies = cookieNames(secure);
  const sessions: SessionDeps = {
    sessions: gatehouse.storage.sessions,
    users: gatehouse.storage.users,
    hasher: gatehouse.hasher,
    now: gatehouse.now,
  };
  const signOutDeps = { ...sessions, audit: gatehouse.audit, logout: gatehouse.backChannelLogout };
  return {
    gatehouse,
    secure,
    cookies,
    csrf: new Csrf(gatehouse.hasher, cookies, secure, issuer.origin),
    sessions,
    passkeys: relyingParty(gatehouse.config.issuer) !== undefined,
    currentUser: async (request) => (await sessionSignIn(readCookie(request, cookies.session), sessions))?.user,
    currentSignIn: (request) => sessionSignIn(readCookie(request, cookies.session), sessions),
    async beginSession(request, reply, userZuid, amr) {
      const current = readCookie(request, cookies.session);
      // Another account signing in here (prompt=login, select_account) signs the previous one out: audited, its clients
      // told. The same user's renewal is no logout (`renewSession`).
      const previous = await liveSession(current, sessions);
      if (previous && previous.userZuid !== userZuid) await signOut(current, request.ip, signOutDeps);
      const value = await renewSession(current, userZuid, amr, sessions);
      setCookie(reply, cookies.session, value, secure, SESSION_TTL_MS / 1000);
      // The rest of this request (a CSRF token for the page it renders) must see the new session.
      request.cookies[cookies.session] = value;
    },
    async endSession(request, reply, clientId) {
      await signOut(readCookie(request, cookies.session), request.ip, signOutDeps, clientId ?? null);
      clearCookie(reply, cookies.session, secure);
    },
    returnTo: (value) => nextLocation(value, issuer.origin, HOME),
    redirectToSignIn(reply, returnTo, options) {
      const fresh = options?.fresh ? '&prompt=login' : '';
      return reply.redirect(`/signin?return_to=${encodeURIComponent(this.returnTo(returnTo))}${fresh}`, 303);
    },
    async toSecondStep(reply, userZuid, returnTo) {
      // No session for it yet: the second step, in this browser only, within minutes.
      const ticket = await pendingSignInTicket(userZuid, gatehouse);
      setCookie(reply, cookies.pendingSignIn, ticket, secure, PENDING_SIGN_IN_MS / 1000);
      return reply.redirect(`/signin/verify?return_to=${encodeURIComponent(this.returnTo(returnTo))}`, 303);
    },
    async userOrDetour(request, reply) {
      return this.readyOrDetour(request, reply, await this.currentUser(request));
    },
    async readyOrDetour(request, reply, user) {
      if (!user) {
        await this.redirectToSignIn(reply, request.url);
        return undefined;
      }
      const detour = await this.detourFor(user, request.url);
      if (detour === undefined) return user;
      await reply.redirect(detour, 303);
      return undefined;
    },
    async detourFor(user, returnTo) {
      const back = async () => this.returnTo(typeof returnTo === 'string' ? returnTo : await returnTo());
      if (user.mustChangePassword) return `/account/password?return_to=${encodeURIComponent(await back())}`;
      if (await mustAddFactor(gatehouse.config.requireMfa, user, gatehouse)) return addFactorPath(await back());
      return undefined;
    },
  };
}
