import type { FastifyReply, FastifyRequest } from 'fastify';
import { byUser, type AuditContext } from '../../../core/audit/audit-log.js';
import { DeveloperConsole, type ManagedClient } from '../../../core/console/developer-console.js';
import type { RequestParams } from '../../../core/params/request-params.js';
import type { User } from '../../../core/users/user.js';
import { confirmPage, type ConfirmPage } from '../../../ui/pages/console/confirm.js';
import type { ConsoleFrame } from '../../../ui/pages/console/frame.js';
import type { BrowserContext } from '../../browser/browser-context.js';
import { requestParams } from '../../request-params.js';

/** What the console's page routes share: the console service and the steps every request starts with. */
export interface ConsoleRoutesContext {
  browser: BrowserContext;
  console: DeveloperConsole;
  /** For a page: who is signed in and the CSRF token for its forms, or undefined after detouring the browser. */
  frame(request: FastifyRequest, reply: FastifyReply): Promise<(ConsoleFrame & { account: User }) | undefined>;
  /**
   * For a form post: its parameters once the CSRF token checks out, the signed-in user, and who acts from where for the
   * audit log; or undefined after sending the browser to sign in and come back to `returnTo`.
   */
  form(request: FastifyRequest, reply: FastifyReply, returnTo: string): Promise<ConsoleForm | undefined>;
  /** A form about one client, which must be the user's: the form, and the client. */
  clientForm(
    request: FastifyRequest<{ Params: { clientId: string } }>,
    reply: FastifyReply,
    returnTo: string,
  ): Promise<(ConsoleForm & { client: ManagedClient }) | undefined>;
  /**
   * Unless the form arrived confirmed (the script's dialog adds `confirmed=yes`), answers with a confirmation page and
   * returns the reply; the caller stops there. So nothing destructive happens unasked, with or without script.
   */
  askFirst(
    reply: FastifyReply,
    form: { params: RequestParams; frame: ConsoleFrame },
    page: Omit<ConfirmPage, keyof ConsoleFrame>,
  ): FastifyReply | undefined;
  html(reply: FastifyReply, page: string, status?: number): FastifyReply;
}

export interface ConsoleForm {
  params: RequestParams;
  frame: ConsoleFrame & { account: User };
  by: AuditContext;
}

export function consoleRoutesContext(browser: BrowserContext): ConsoleRoutesContext {
  const { gatehouse, csrf } = browser;
  const dataCenters = gatehouse.config.dataCenters.locations();
  const frameOf = (request: FastifyRequest, reply: FastifyReply, user: User) => ({
    account: user,
    user: { zuid: user.zuid, email: user.email, isAdmin: user.isAdmin },
    csrf: csrf.token(request, reply),
    dataCenters,
  });
  return {
    browser,
    console: new DeveloperConsole(gatehouse),
    async frame(request, reply) {
      const user = await browser.userOrDetour(request, reply);
      return user && frameOf(request, reply, user);
    },
    async form(request, reply, returnTo) {
      const params = requestParams(request, gatehouse.config.maxParameterLength);
      csrf.verify(request, params);
      const signedIn = await browser.currentUser(request);
      // After signing in, a browser comes back with a GET: to the page the form was on, not to this POST's URL.
      if (!signedIn) {
        browser.redirectToSignIn(reply, returnTo);
        return undefined;
      }
      const user = await browser.readyOrDetour(request, reply, signedIn);
      return user && { params, frame: frameOf(request, reply, user), by: byUser(user, request.ip) };
    },
    async clientForm(request, reply, returnTo) {
      const form = await this.form(request, reply, returnTo);
      return form && { ...form, client: await this.console.client(form.frame.account, request.params.clientId) };
    },
    askFirst(reply, form, page) {
      if (form.params.get('confirmed') === 'yes') return undefined;
      return this.html(reply, confirmPage({ ...form.frame, ...page }));
    },
    html: (reply, page, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(page),
  };
}

/** A textarea's list: one entry per line, blank lines ignored. */
export function lines(value: string | undefined): string[] {
  return (value ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
