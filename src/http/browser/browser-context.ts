import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionUser, type SessionDeps } from '../../core/sessions/sessions.js';
import type { User } from '../../core/users/user.js';
import type { Gatehouse } from '../../gatehouse.js';
import { cookieNames, readCookie, type CookieNames } from './cookies.js';
import { Csrf } from './csrf.js';

/** What the page routes share: the services, the cookies, CSRF, and who is signed in. */
export interface BrowserContext {
  gatehouse: Gatehouse;
  secure: boolean;
  cookies: CookieNames;
  csrf: Csrf;
  sessions: SessionDeps;
  currentUser(request: FastifyRequest): Promise<User | undefined>;
  /**
   * The signed-in user who may go on. Otherwise sends the browser where it must go first (sign-in, or choosing a
   * password after a one-time one) and then back to this request, and returns undefined.
   */
  userOrDetour(request: FastifyRequest, reply: FastifyReply): Promise<User | undefined>;
  /** The same decision for a user the caller has read already (so the session is read once). */
  readyOrDetour(request: FastifyRequest, reply: FastifyReply, user: User | undefined): Promise<User | undefined>;
  /** Sends the user to sign in and then back to `returnTo` (a path on this server). */
  redirectToSignIn(reply: FastifyReply, returnTo: string): FastifyReply;
}

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
  return {
    gatehouse,
    secure,
    cookies,
    csrf: new Csrf(gatehouse.hasher, cookies.csrf, secure, issuer.origin),
    sessions,
    currentUser: (request) => sessionUser(readCookie(request, cookies.session), sessions),
    redirectToSignIn: (reply, returnTo) => reply.redirect(`/signin?return_to=${encodeURIComponent(returnTo)}`, 303),
    async userOrDetour(request, reply) {
      return this.readyOrDetour(request, reply, await this.currentUser(request));
    },
    async readyOrDetour(request, reply, user) {
      if (!user) {
        await this.redirectToSignIn(reply, request.url);
        return undefined;
      }
      if (user.mustChangePassword) {
        await reply.redirect(`/account/password?return_to=${encodeURIComponent(request.url)}`, 303);
        return undefined;
      }
      return user;
    },
  };
}

/**
 * Where to go after signing in: only a path on this server, so `return_to` cannot send a user to another site
 * (`//evil.example`, `/\evil.example` and absolute URLs are refused).
 */
export function safeReturnTo(value: string | undefined, fallback = '/account/connected-apps'): string {
  if (value === undefined || value.length > 4096 || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\'))
    return fallback;
  return value;
}
