import type { FastifyInstance } from 'fastify';
import { hasSecondFactor, PENDING_SIGN_IN_MS, pendingSignInTicket } from '../../core/mfa/second-factor.js';
import { mustAddFactor } from '../../core/mfa/policy.js';
import { SIGNED_IN_WITH_PASSWORD } from '../../core/sessions/sessions.js';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { looksLikeClientId } from '../../core/tokens/identifiers.js';
import { signIn } from '../../core/users/sign-in.js';
import { signInPage } from '../../ui/pages/sign-in.js';
import { addFactorPath, type BrowserContext } from '../browser/browser-context.js';
import { setCookie } from '../browser/cookies.js';
import { requestParams } from '../request-params.js';

/** One message for every failure: it never says whether the account exists (no enumeration). */
const WRONG = 'Incorrect email or password.';
/** Only after the right password (see `signIn`). */
const DISABLED = 'This account is disabled. Ask an administrator to enable it.';

export function signInRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse, csrf, cookies, secure } = context;
  const max = gatehouse.config.maxParameterLength;

  /** The application a sign-in on the way to an authorization request is for, named on the page. */
  const appNameFor = async (returnTo: string): Promise<string | undefined> => {
    const next = new URL(returnTo, gatehouse.config.issuer);
    if (next.pathname !== ENDPOINT_PATHS.authorize) return undefined;
    const clientId = next.searchParams.get('client_id');
    if (clientId === null || !looksLikeClientId(clientId)) return undefined;
    return (await gatehouse.storage.clients.find(clientId))?.name;
  };

  app.get('/signin', async (request, reply) => {
    const returnTo = context.returnTo(requestParams(request, max).get('return_to'));
    if (await context.currentUser(request)) return reply.redirect(returnTo, 303);
    const appName = await appNameFor(returnTo);
    return reply
      .type('text/html; charset=utf-8')
      .send(signInPage({ csrf: csrf.token(request, reply), returnTo, ...(appName ? { appName } : {}) }));
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
      const appName = await appNameFor(returnTo);
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
    if (await hasSecondFactor(result.user.zuid, gatehouse)) {
      // No session yet: the second step, in this browser only, within minutes.
      const ticket = await pendingSignInTicket(result.user.zuid, gatehouse);
      setCookie(reply, cookies.pendingSignIn, ticket, secure, PENDING_SIGN_IN_MS / 1000);
      return reply.redirect(`/signin/verify?return_to=${encodeURIComponent(returnTo)}`, 303);
    }
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
