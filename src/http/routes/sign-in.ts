import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { passkeyAssertionOptions } from '../../core/mfa/passkey-assertion.js';
import { PASSKEY_SIGN_IN_AMR, signInWithPasskey } from '../../core/mfa/passwordless-sign-in.js';
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
/** Only after the right password or passkey (see `signIn`, `signInWithPasskey`). */
const DISABLED = 'This account is disabled. Ask an administrator to enable it.';
const WRONG_PASSKEY = 'That passkey did not sign you in. Try again, or use your email and password.';

type Refusal = { status: 'invalid' | 'disabled' } | { status: 'throttled'; retryAfter: number };

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

  /** The sign-in form: with what an authorization request in progress shows of itself, and a failure's email and why. */
  const page = async (request: FastifyRequest, reply: FastifyReply, returnTo: string, failed?: { email?: string; error: string }) => {
    const shown = await authorizationInProgress(returnTo);
    return reply
      .type('text/html; charset=utf-8')
      .send(signInPage({ csrf: csrf.token(request, reply), returnTo, passkeys: context.passkeys, ...shown, ...failed }));
  };

  /** A refused sign-in: the form again, with why; a throttled one says when to try again. */
  const refused = (request: FastifyRequest, reply: FastifyReply, returnTo: string, result: Refusal, email?: string) => {
    const error =
      result.status === 'throttled'
        ? `Too many failed attempts. Try again in ${Math.ceil(result.retryAfter / 60)} minutes.`
        : result.status === 'disabled'
          ? DISABLED
          : email === undefined
            ? WRONG_PASSKEY
            : WRONG;
    if (result.status === 'throttled') reply.header('retry-after', String(result.retryAfter));
    reply.code(result.status === 'throttled' ? 429 : result.status === 'disabled' ? 403 : 401);
    return page(request, reply, returnTo, { error, ...(email === undefined ? {} : { email }) });
  };

  app.get('/signin', async (request, reply) => {
    const params = requestParams(request, max);
    const returnTo = context.returnTo(params.get('return_to'));
    // `prompt=login`: the authorization request asks for a sign-in made now, so the form shows to a signed-in browser too.
    if (params.get('prompt') !== 'login' && (await context.currentUser(request))) return reply.redirect(returnTo, 303);
    return page(request, reply, returnTo);
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
    if (result.status !== 'ok') return refused(request, reply, returnTo, result, email);
    if (await hasSecondFactor(result.user.zuid, gatehouse)) return context.toSecondStep(reply, result.user.zuid, returnTo);
    await context.beginSession(request, reply, result.user.zuid, SIGNED_IN_WITH_PASSWORD);
    // A user the policy asks for a second factor, without one, adds it before anything else (the consent page too).
    if (await mustAddFactor(gatehouse.config.requireMfa, result.user, gatehouse)) return reply.redirect(addFactorPath(returnTo), 303);
    return reply.redirect(returnTo, 303);
  });

  /** The challenge for "Sign in with a passkey" (JSON for the passkey script): any of this server's passkeys may answer. */
  app.post('/signin/passkey/options', async (request, reply) => {
    csrf.verify(request, requestParams(request, max));
    return reply.send(await passkeyAssertionOptions({ purpose: 'passwordless', userZuid: null }, request.ip, gatehouse));
  });

  /** A passkey alone signs in (discoverable, user-verified); the authorization request in progress goes on as after a password. */
  app.post('/signin/passkey', async (request, reply) => {
    const params = requestParams(request, max);
    csrf.verify(request, params);
    const returnTo = context.returnTo(params.get('return_to'));
    const result = await signInWithPasskey(params.get('passkey_response'), request.ip, { ...gatehouse, users: gatehouse.storage.users });
    if (result.status !== 'ok') return refused(request, reply, returnTo, result);
    await context.beginSession(request, reply, result.user.zuid, PASSKEY_SIGN_IN_AMR);
    return reply.redirect(returnTo, 303);
  });

  app.post('/signout', async (request, reply) => {
    csrf.verify(request, requestParams(request, max));
    await context.endSession(request, reply);
    return reply.redirect('/signin', 303);
  });
}
