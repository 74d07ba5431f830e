import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pendingSignInUser, SECOND_FACTOR_AMR, verifySecondFactor } from '../../core/mfa/second-factor.js';
import { secondFactorPage } from '../../ui/pages/second-factor.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { clearCookie, readCookie } from '../browser/cookies.js';
import { requestParams } from '../request-params.js';

/**
 * The second step of signing in, for a user with a second factor. Only a browser holding the ticket the password step
 * left (a sealed cookie, five minutes) gets here; only after a right code is there a session, and then the
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

  const page = (request: FastifyRequest, reply: FastifyReply, returnTo: string, method: 'totp' | 'recovery', error?: string) =>
    reply
      .type('text/html; charset=utf-8')
      .send(secondFactorPage({ csrf: csrf.token(request, reply), returnTo, method, ...(error ? { error } : {}) }));

  app.get('/signin/verify', async (request, reply) => {
    const params = requestParams(request, max);
    const returnTo = context.returnTo(params.get('return_to'));
    if (!(await pendingUser(request))) return context.redirectToSignIn(reply, returnTo);
    return page(request, reply, returnTo, params.get('method') === 'recovery' ? 'recovery' : 'totp');
  });

  app.post('/signin/verify', async (request, reply) => {
    const params = requestParams(request, max);
    csrf.verify(request, params);
    const returnTo = context.returnTo(params.get('return_to'));
    const user = await pendingUser(request);
    if (!user) return context.redirectToSignIn(reply, returnTo);
    const method = params.get('method') === 'recovery' ? 'recovery' : 'totp';
    const result = await verifySecondFactor(user, { method, code: params.get('code') ?? '' }, request.ip, gatehouse);
    if (result.status === 'throttled') {
      reply.code(429).header('retry-after', String(result.retryAfter));
      return page(request, reply, returnTo, method, `Too many failed attempts. Try again in ${Math.ceil(result.retryAfter / 60)} minutes.`);
    }
    if (result.status === 'invalid') return page(request, reply.code(401), returnTo, method, 'That code is not right. Try again.');
    clearCookie(reply, cookies.pendingSignIn, secure);
    await context.beginSession(request, reply, user.zuid, SECOND_FACTOR_AMR[method]);
    return reply.redirect(returnTo, 303);
  });
}
