import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { ManagementError } from '../../core/errors/management-error.js';
import { confirmTotpEnrollment, resumeTotpEnrollment, startTotpEnrollment, type TotpEnrollment } from '../../core/mfa/enrollment.js';
import { factorSummary, removeFactor, renewRecoveryCodes, type FactorToRemove, type IdentityProof } from '../../core/mfa/manage-factors.js';
import { passkeyAssertionOptions } from '../../core/mfa/passkey-assertion.js';
import { addPasskey, passkeyRegistrationOptions } from '../../core/mfa/passkey-registration.js';
import type { RequestParams } from '../../core/params/request-params.js';
import { mustAddFactor } from '../../core/mfa/policy.js';
import type { User } from '../../core/users/user.js';
import { accountSecurityPage, recoveryCodesPage, totpEnrollmentPage } from '../../ui/pages/account-security.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { requestParams } from '../request-params.js';

const SECURITY = '/account/security';

/** What the page says after a change that redirected back to it (`?done=`). */
const DONE = new Map([
  ['totp-removed', 'The authenticator app was removed.'],
  ['passkey-removed', 'The passkey was removed.'],
  ['recovery-codes-removed', 'The recovery codes were removed.'],
  ['passkey-added', 'The passkey was added. You can use it to sign in.'],
]);

/** The proof a removal form carries: a passkey's answer, a code from the app, or else the password. */
function proofFrom(params: RequestParams): IdentityProof {
  const passkey = params.get('passkey_response');
  if (passkey) return { method: 'passkey', code: passkey };
  const code = params.get('current_code');
  if (code) return { method: 'totp', code };
  return { password: params.get('current_password') ?? '' };
}

/** The account security page: add an authenticator app or a passkey, see and renew recovery codes, remove a factor. */
export function accountSecurityRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse, csrf } = context;
  const max = gatehouse.config.maxParameterLength;
  const html = (reply: FastifyReply) => reply.type('text/html; charset=utf-8');

  const securityPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    message: { notice?: string; error?: string; returnTo?: string },
  ) =>
    html(reply).send(
      accountSecurityPage({
        csrf: csrf.token(request, reply),
        user,
        factors: await factorSummary(user.zuid, gatehouse),
        passkeys: context.passkeys,
        ...message,
      }),
    );

  const enrollmentPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    enrollment: TotpEnrollment,
    returnTo: string,
    error?: string,
  ) =>
    html(reply).send(
      totpEnrollmentPage({
        csrf: csrf.token(request, reply),
        user,
        returnTo,
        ...enrollment,
        qrSvg: await QRCode.toString(enrollment.uri, { type: 'svg', margin: 2 }),
        required: await mustAddFactor(gatehouse.config.requireMfa, user, gatehouse),
        passkeys: context.passkeys,
        ...(error ? { error } : {}),
      }),
    );

  app.get(SECURITY, async (request, reply) => {
    const signedIn = await context.currentUser(request);
    // This is where factors are added, so the policy's detour to add one does not apply here (a passkey is added here).
    const user = signedIn && !signedIn.mustChangePassword ? signedIn : await context.readyOrDetour(request, reply, signedIn);
    if (!user) return reply;
    const params = requestParams(request, max);
    const notice = DONE.get(params.get('done') ?? '');
    const returnTo = params.get('return_to');
    return securityPage(request, reply, user, {
      ...(notice ? { notice } : {}),
      ...(returnTo ? { returnTo: context.returnTo(returnTo) } : {}),
    });
  });

  app.get(`${SECURITY}/totp`, async (request, reply) => {
    const user = await context.currentUser(request);
    if (!user) return context.redirectToSignIn(reply, request.url);
    const returnTo = context.returnTo(requestParams(request, max).get('return_to') ?? SECURITY);
    if (await gatehouse.storage.factors.findTotp(user.zuid)) return reply.redirect(SECURITY, 303);
    return enrollmentPage(request, reply, user, await startTotpEnrollment(user, gatehouse), returnTo);
  });

  app.post(`${SECURITY}/totp`, async (request, reply) => {
    const params = requestParams(request, max);
    csrf.verify(request, params);
    const user = await context.currentUser(request);
    if (!user) return context.redirectToSignIn(reply, `${SECURITY}/totp`);
    const returnTo = context.returnTo(params.get('return_to') ?? SECURITY);
    const ticket = params.get('enrollment');
    try {
      const codes = await confirmTotpEnrollment(user, ticket, params.get('code') ?? '', gatehouse);
      return html(reply).send(recoveryCodesPage({ csrf: csrf.token(request, reply), user, codes, returnTo }));
    } catch (err) {
      if (!(err instanceof ManagementError)) throw err;
      // A wrong code keeps the same secret (the app has it already); an expired setup starts again.
      const enrollment = (await resumeTotpEnrollment(user, ticket, gatehouse)) ?? (await startTotpEnrollment(user, gatehouse));
      return enrollmentPage(request, reply.code(err.status), user, enrollment, returnTo, err.message);
    }
  });

  /** A change from a form of the security page; a refusal (a wrong password, the policy) shows the page with why. */
  const change = (
    path: string,
    act: (user: User, params: RequestParams, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  ) =>
    app.post(path, async (request, reply) => {
      const params = requestParams(request, max);
      csrf.verify(request, params);
      const user = await context.currentUser(request);
      if (!user) return context.redirectToSignIn(reply, SECURITY);
      try {
        return await act(user, params, request, reply);
      } catch (err) {
        if (!(err instanceof ManagementError)) throw err;
        return securityPage(request, reply.code(err.status), user, { error: err.message });
      }
    });

  /** A removal, proven by the password or a current factor, then back to the page saying so. */
  const removal = (path: string, factor: (params: RequestParams) => FactorToRemove, done: string) =>
    change(path, async (user, params, request, reply) => {
      await removeFactor(user, factor(params), proofFrom(params), request.ip, gatehouse);
      return reply.redirect(`${SECURITY}?done=${done}`, 303);
    });

  removal(`${SECURITY}/totp/remove`, () => ({ kind: 'totp' }), 'totp-removed');
  removal(
    `${SECURITY}/passkeys/remove`,
    (params) => ({ kind: 'passkey', credentialId: params.get('credential_id') ?? '' }),
    'passkey-removed',
  );
  removal(`${SECURITY}/recovery-codes/remove`, () => ({ kind: 'recovery-codes' }), 'recovery-codes-removed');

  change(`${SECURITY}/recovery-codes`, async (user, params, request, reply) => {
    const codes = await renewRecoveryCodes(user, params.get('current_password') ?? '', request.ip, gatehouse);
    return html(reply).send(recoveryCodesPage({ csrf: csrf.token(request, reply), user, codes, returnTo: SECURITY }));
  });

  /** The passkey script's JSON: options to make a passkey (registration), or to confirm a removal with one. */
  const options = (path: string, make: (user: User, request: FastifyRequest) => Promise<unknown>) =>
    app.post(path, async (request, reply) => {
      csrf.verify(request, requestParams(request, max));
      const user = await context.currentUser(request);
      if (!user) return context.redirectToSignIn(reply, SECURITY);
      return reply.send(await make(user, request));
    });

  options(`${SECURITY}/passkeys/options`, (user, request) => passkeyRegistrationOptions(user, request.ip, gatehouse));
  options(`${SECURITY}/confirm/options`, (user, request) =>
    passkeyAssertionOptions({ purpose: 'second-factor', userZuid: user.zuid }, request.ip, gatehouse),
  );

  change(`${SECURITY}/passkeys`, async (user, params, request, reply) => {
    await addPasskey(user, params.get('passkey_response'), params.get('name') ?? '', request.ip, gatehouse);
    // Where the policy sent the user from (an authorization request in progress), or the page, saying it was added.
    const returnTo = params.get('return_to');
    return reply.redirect(returnTo ? context.returnTo(returnTo) : `${SECURITY}?done=passkey-added`, 303);
  });
}
