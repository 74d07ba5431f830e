import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { passkeyAssertionOptions } from '../../core/mfa/passkey-assertion.js';
import { pendingSignInUser, SECOND_FACTOR_AMR, secondFactorMethods, verifySecondFactor } from '../../core/mfa/second-factor.js';
import type { User } from '../../core/users/user.js';
import { secondFactorPage, type SecondFactorMethod } from '../../ui/pages/second-factor.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { clearCookie, readCookie } from '../browser/cookies.js';
import { requestParams } from '../request-params.js';

/**
 * The second step of signing in, for a user with a second factor. Only a browser holding the ticket the password step
 * left (a sealed cookie, five minutes) gets here; only after a right code or passkey is there a session, and then the
 * authorization request in progress (`return_to`) goes on.
 */
export function secondFactorRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse, csrf, cookies, secure } = context;
  const max = gatehouse.config.maxParameterLength;

  /** The user who passed the password step in this browser, if they did, lately, and may still sign in. */
  const pendingUser = async (request: FastifyRequest) => {
    const zuid = await pendingSignInUser(readCookie(request, cookies.pendingSignIn), gatehouse);
    const user = zuid === undefined ? undefined : await gatehouse.storage.users.findByZuid(zuid);
    return user?.disabled ? undefined : user;
  };

  /** The ways this user can answer, and the one asked for (or the first of them): passkeys only where the browser can use them. */
  const methods = async (user: User, asked: string | undefined) => {
    const has = await secondFactorMethods(user.zuid, gatehouse);
    const offered: SecondFactorMethod[] = [
      ...(has.totp ? (['totp'] as const) : []),
      ...(has.passkey && context.passkeys ? (['passkey'] as const) : []),
      'recovery',
    ];
    const method = offered.find((m) => m === asked) ?? offered[0]!;
    return { offered, method };
  };

  const page = async (request: FastifyRequest, reply: FastifyReply, user: User, returnTo: string, asked?: string, error?: string) =>
    reply
      .type('text/html; charset=utf-8')
      .send(secondFactorPage({ csrf: csrf.token(request, reply), returnTo, ...(await methods(user, asked)), ...(error ? { error } : {}) }));

  app.get('/signin/verify', async (request, reply) => {
    const params = requestParams(request, max);
    const returnTo = context.returnTo(params.get('return_to'));
    const user = await pendingUser(request);
    if (!user) return context.redirectToSignIn(reply, returnTo);
    return page(request, reply, user, returnTo, params.get('method'));
  });

  /** The challenge for "Use a passkey" (JSON for the passkey script): one of this user's passkeys must answer it. */
  app.post('/signin/verify/passkey/options', async (request, reply) => {
    csrf.verify(request, requestParams(request, max));
    const user = await pendingUser(request);
    if (!user) return context.redirectToSignIn(reply, '/signin');
    return reply.send(await passkeyAssertionOptions({ purpose: 'second-factor', userZuid: user.zuid }, request.ip, gatehouse));
  });

  app.post('/signin/verify', async (request, reply) => {
    const params = requestParams(request, max);
    csrf.verify(request, params);
    const returnTo = context.returnTo(params.get('return_to'));
    const user = await pendingUser(request);
    if (!user) return context.redirectToSignIn(reply, returnTo);
    const { method } = await methods(user, params.get('method'));
    const code = (method === 'passkey' ? params.get('passkey_response') : params.get('code')) ?? '';
    const result = await verifySecondFactor(user, { method, code }, request.ip, gatehouse);
    if (result.status === 'throttled') {
      reply.code(429).header('retry-after', String(result.retryAfter));
      return page(
        request,
        reply,
        user,
        returnTo,
        method,
        `Too many failed attempts. Try again in ${Math.ceil(result.retryAfter / 60)} minutes.`,
      );
    }
    if (result.status === 'invalid')
      return page(
        request,
        reply.code(401),
        user,
        returnTo,
        method,
        method === 'passkey' ? 'That passkey did not work. Try again.' : 'That code is not right. Try again.',
      );
    clearCookie(reply, cookies.pendingSignIn, secure);
    await context.beginSession(request, reply, user.zuid, SECOND_FACTOR_AMR[method]);
    return reply.redirect(returnTo, 303);
  });
}
