import type { FastifyInstance } from 'fastify';
import { hasSecondFactor } from '../../core/mfa/second-factor.js';
import { mustAddFactor } from '../../core/mfa/policy.js';
import { SIGNED_IN_WITH_PASSWORD } from '../../core/sessions/sessions.js';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { looksLikeClientId } from '../../core/tokens/identifiers.js';
import { signIn } from '../../core/users/sign-in.js';
import { signInPage } from '../../ui/pages/sign-in.js';
import { addFactorPath, type BrowserContext } from '../browser/browser-context.js';
import { requestParams } from '../request-params.js';

/** One message for every failure: it never says whether the account exists (no enumeration). */
const WRONG = 'Incorrect email or password.';
/** RFC 5321's longest address: a longer `login_hint` is no address and is not shown. */
const MAX_EMAIL_LENGTH = 254;
/** Only after the right password (see `signIn`). */
const DISABLED = 'This account is disabled. Ask an administrator to enable it.';

export function signInRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse, csrf } = context;
  const max = gatehouse.config.maxParameterLength;

  /**
   * What a sign-in on the way to an authorization request shows of it: the application, named on the page, and the
   * request's `login_hint`, the email field's first value (only that: it is whatever the link said).
   */
  const authorizationInProgress = async (returnTo: string): Promise<{ appName?: string; email?: string }> => {
    const next = new URL(returnTo, gatehouse.config.issuer);
    if (next.pathname !== ENDPOINT_PATHS.authorize) return {};
    const hint = next.searchParams.get('login_hint');
    const email = hint !== null && hint.length <= MAX_EMAIL_LENGTH ? { email: hint } : {};
    const clientId = next.searchParams.get('client_id');
    const appName = clientId !== null && looksLikeClientId(clientId) ? (await gatehouse.storage.clients.find(clientId))?.name : undefined;
    return { ...email, ...(appName ? { appName } : {}) };
  };

  app.get('/signin', async (request, reply) => {
    const params = requestParams(request, max);
    const returnTo = context.returnTo(params.get('return_to'));
    // `prompt=login`: the authorization request asks for a sign-in made now, so the form shows to a signed-in browser too.
    if (params.get('prompt') !== 'login' && (await context.currentUser(request))) return reply.redirect(returnTo, 303);
    const shown = await authorizationInProgress(returnTo);
    return reply.type('text/html; charset=utf-8').send(signInPage({ csrf: csrf.token(request, reply), returnTo, ...shown }));
  });

  app.post('/signin', async (request, reply) => {
    const params = requestParams(request, max);
    csrf.verify(request, params);
    const returnTo = context.returnTo(params.get('return_to'));
    const email = params.get('email') ?? '';
    const result = await signIn(email, params.get('password') ?? '', request.ip, {
      users: gatehouse.storage.users,
      rateLimiter: gatehouse.rateLimiter,
      events: gatehouse.events,
      audit: gatehouse.audit,
    });
    if (result.status !== 'ok') {
      const { appName } = await authorizationInProgress(returnTo);
      const error =
        result.status === 'throttled'
          ? `Too many failed attempts. Try again in ${Math.ceil(result.retryAfter / 60)} minutes.`
          : result.status === 'disabled'
            ? DISABLED
            : WRONG;
      if (result.status === 'throttled') reply.header('retry-after', String(result.retryAfter));
      return reply
        .code(result.status === 'throttled' ? 429 : result.status === 'disabled' ? 403 : 401)
        .type('text/html; charset=utf-8')
        .send(signInPage({ csrf: csrf.token(request, reply), returnTo, email, error, ...(appName ? { appName } : {}) }));
    }
    if (await hasSecondFactor(result.user.zuid, gatehouse)) return context.toSecondStep(reply, result.user.zuid, returnTo);
    await context.beginSession(request, reply, result.user.zuid, SIGNED_IN_WITH_PASSWORD);
    // A user the policy asks for a second factor, without one, adds it before anything else (the consent page too).
    if (await mustAddFactor(gatehouse.config.requireMfa, result.user, gatehouse)) return reply.redirect(addFactorPath(returnTo), 303);
    return reply.redirect(returnTo, 303);
  });

  app.post('/signout', async (request, reply) => {
    csrf.verify(request, requestParams(request, max));
    await context.endSession(request, reply);
    return reply.redirect('/signin', 303);
  });
}
