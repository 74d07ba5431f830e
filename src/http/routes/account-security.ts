import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { ManagementError } from '../../core/errors/management-error.js';
import { confirmTotpEnrollment, resumeTotpEnrollment, startTotpEnrollment, type TotpEnrollment } from '../../core/mfa/enrollment.js';
import { factorSummary, removeTotp, renewRecoveryCodes } from '../../core/mfa/manage-factors.js';
import { mustAddFactor } from '../../core/mfa/policy.js';
import type { User } from '../../core/users/user.js';
import { accountSecurityPage, recoveryCodesPage, totpEnrollmentPage } from '../../ui/pages/account-security.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { requestParams } from '../request-params.js';

const SECURITY = '/account/security';

/** The account security page: add an authenticator app, see and renew recovery codes, remove the app. */
export function accountSecurityRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse, csrf } = context;
  const max = gatehouse.config.maxParameterLength;
  const html = (reply: FastifyReply) => reply.type('text/html; charset=utf-8');

  const securityPage = async (request: FastifyRequest, reply: FastifyReply, user: User, message: { notice?: string; error?: string }) =>
    html(reply).send(
      accountSecurityPage({ csrf: csrf.token(request, reply), user, factors: await factorSummary(user.zuid, gatehouse), ...message }),
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
        ...(error ? { error } : {}),
      }),
    );

  app.get(SECURITY, async (request, reply) => {
    const user = await context.userOrDetour(request, reply);
    if (!user) return reply;
    const params = requestParams(request, max);
    return securityPage(request, reply, user, params.get('removed') === '1' ? { notice: 'The authenticator app was removed.' } : {});
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

  /** A change that asks for the password first; a wrong one shows the security page with why. */
  const withPassword = (
    path: string,
    change: (user: User, password: string, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  ) =>
    app.post(path, async (request, reply) => {
      const params = requestParams(request, max);
      csrf.verify(request, params);
      const user = await context.currentUser(request);
      if (!user) return context.redirectToSignIn(reply, SECURITY);
      try {
        return await change(user, params.get('current_password') ?? '', request, reply);
      } catch (err) {
        if (!(err instanceof ManagementError)) throw err;
        return securityPage(request, reply.code(err.status), user, { error: err.message });
      }
    });

  withPassword(`${SECURITY}/totp/remove`, async (user, password, request, reply) => {
    await removeTotp(user, password, request.ip, gatehouse);
    return reply.redirect(`${SECURITY}?removed=1`, 303);
  });

  withPassword(`${SECURITY}/recovery-codes`, async (user, password, request, reply) => {
    const codes = await renewRecoveryCodes(user, password, request.ip, gatehouse);
    return html(reply).send(recoveryCodesPage({ csrf: csrf.token(request, reply), user, codes, returnTo: SECURITY }));
  });
}
