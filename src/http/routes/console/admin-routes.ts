import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FieldErrors, ManagementError } from '../../../core/errors/management-error.js';
import type { AuditFilterInput } from '../../../core/audit/audit-query.js';
import { auditLogPage, type AuditFilterValues } from '../../../ui/pages/console/audit-log.js';
import { clientsListPage } from '../../../ui/pages/console/clients-list.js';
import type { ConfirmPage } from '../../../ui/pages/console/confirm.js';
import { AUDIT_LOG_PATH, ORGANISATIONS_PATH, UNOWNED_CLIENTS_PATH, userPath } from '../../../ui/pages/console/frame.js';
import { EMPTY_USER_FORM, newUserPage, type NewUserValues } from '../../../ui/pages/console/new-user.js';
import { organisationsPage } from '../../../ui/pages/console/organisations.js';
import { overviewPage } from '../../../ui/pages/console/overview.js';
import { userDetailsPage } from '../../../ui/pages/console/user-details.js';
import { usersPage } from '../../../ui/pages/console/users.js';
import type { ConsoleRoutesContext } from './console-request.js';

type UserParams = { Params: { zuid: string } };

/** What an action on the user page did, by the `done` its redirect carries. */
const DONE = new Map(
  Object.entries({
    disabled: 'User disabled. Their sessions and every token of theirs have stopped working.',
    enabled: 'User enabled. They can sign in again; tokens revoked by the disable stay revoked.',
    'made-admin': 'Now an administrator. They were signed out everywhere.',
    'removed-admin': 'No longer an administrator. They were signed out everywhere.',
    'mfa-reset': 'Second factors removed. They were signed out everywhere and sign in with the password alone.',
  }),
);

/** What administrators see in addition: every user (add, disable, enable, reset password, role), every user's clients, the organisations. */
export function adminRoutes(app: FastifyInstance, context: ConsoleRoutesContext): void {
  const { console: developerConsole } = context;

  app.get('/developer-console/admin/clients', async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    const clients = await developerConsole.listClients(frame.account, { all: true });
    const users = await developerConsole.listUsers(frame.account);
    const owners = new Map(users.map((u) => [u.zuid, u.email]));
    return context.html(reply, clientsListPage({ ...frame, clients, owners }));
  });

  app.get(UNOWNED_CLIENTS_PATH, async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    const clients = (await developerConsole.listClients(frame.account, { all: true })).filter((c) => c.ownerZuid === null);
    return context.html(reply, clientsListPage({ ...frame, clients, unowned: true }));
  });

  app.get(ORGANISATIONS_PATH, async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    return context.html(reply, organisationsPage({ ...frame, organisations: await developerConsole.listOrganisations(frame.account) }));
  });

  app.get('/developer-console/admin/overview', async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    return context.html(reply, overviewPage({ ...frame, ...(await developerConsole.overview(frame.account)) }));
  });

  app.get('/developer-console/admin/users', async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    const users = await developerConsole.listUsers(frame.account);
    const clientCounts = new Map<string, number>();
    for (const client of await developerConsole.listClients(frame.account, { all: true })) {
      if (client.ownerZuid !== null) clientCounts.set(client.ownerZuid, (clientCounts.get(client.ownerZuid) ?? 0) + 1);
    }
    return context.html(reply, usersPage({ ...frame, users, clientCounts }));
  });

  app.get<{ Querystring: AuditFilterInput }>(AUDIT_LOG_PATH, async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    developerConsole.requireAdmin(frame.account);
    const shown = (value: unknown) => (typeof value === 'string' ? value : '');
    const { type, user, client, since, until } = request.query;
    const values: AuditFilterValues = {
      type: shown(type),
      user: shown(user),
      client: shown(client),
      since: shown(since),
      until: shown(until),
    };
    try {
      const { events, next } = await developerConsole.auditEvents(frame.account, request.query);
      return context.html(reply, auditLogPage({ ...frame, values, events, next }));
    } catch (err) {
      // A filter that cannot be read is said at its field; the administrator check above is not caught here.
      if (!(err instanceof ManagementError)) throw err;
      return context.html(reply, auditLogPage({ ...frame, values, events: [], next: null, error: err }), err.status);
    }
  });

  app.get('/developer-console/admin/users/new', async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    developerConsole.requireAdmin(frame.account);
    return context.html(reply, newUserPage({ ...frame, values: EMPTY_USER_FORM }));
  });

  app.post('/developer-console/admin/users/new', async (request, reply) => {
    const form = await context.form(request, reply, '/developer-console/admin/users/new');
    if (!form) return reply;
    const values: NewUserValues = {
      email: form.params.get('email') ?? '',
      first_name: form.params.get('first_name') ?? '',
      last_name: form.params.get('last_name') ?? '',
      password: form.params.get('password') ?? '',
      is_admin: form.params.get('is_admin') === 'yes',
      dc: form.params.get('dc') ?? '',
    };
    try {
      const { user, generatedPassword } = await developerConsole.createUser(
        form.frame.account,
        {
          email: values.email,
          firstName: values.first_name,
          lastName: values.last_name,
          password: values.password,
          isAdmin: values.is_admin,
          ...(values.dc === '' ? {} : { dc: values.dc }),
        },
        form.by,
      );
      // Answered here, not after a redirect: a generated password must not travel in a URL or be kept to show later.
      return context.html(
        reply,
        userDetailsPage({ ...form.frame, target: user, oneTimePassword: generatedPassword, notice: 'User created.' }),
        201,
      );
    } catch (err) {
      if (!(err instanceof ManagementError) || err.status === 403) throw err;
      const errors = err instanceof FieldErrors ? err : new FieldErrors([err]);
      // The typed password is not echoed back into the page.
      return context.html(reply, newUserPage({ ...form.frame, values: { ...values, password: '' }, errors }), err.status);
    }
  });

  app.get<UserParams & { Querystring: { done?: string } }>('/developer-console/admin/users/:zuid', async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    const target = await developerConsole.user(frame.account, request.params.zuid);
    const factors = await developerConsole.factors(frame.account, target);
    return context.html(reply, userDetailsPage({ ...frame, target, factors, notice: DONE.get(request.query.done ?? '') }));
  });

  /** A form on the user page: its parameters once the CSRF token checks out, the administrator, and the user it is about. */
  const userForm = async (request: FastifyRequest<UserParams>, reply: FastifyReply) => {
    const form = await context.form(request, reply, userPath(request.params.zuid));
    return form && { ...form, target: await developerConsole.user(form.frame.account, request.params.zuid) };
  };
  /** Runs an action; a refusal (your own account) is said on the user's page, changing nothing. */
  const refusedOnPage = async (
    reply: FastifyReply,
    form: NonNullable<Awaited<ReturnType<typeof userForm>>>,
    act: () => Promise<FastifyReply>,
  ): Promise<FastifyReply> => {
    try {
      return await act();
    } catch (err) {
      if (!(err instanceof ManagementError) || err.code !== 'user.own_account') throw err;
      return context.html(reply, userDetailsPage({ ...form.frame, target: form.target, error: err.message }), err.status);
    }
  };
  /** The server's confirmation step of an action on the user page (see `askFirst`). */
  const asked = (
    reply: FastifyReply,
    form: NonNullable<Awaited<ReturnType<typeof userForm>>>,
    page: Pick<ConfirmPage, 'title' | 'question' | 'action' | 'confirmLabel' | 'fields'>,
  ) => context.askFirst(reply, form, { ...page, cancelHref: userPath(form.target.zuid), section: 'users' });

  app.post<UserParams>('/developer-console/admin/users/:zuid/disable', async (request, reply) => {
    const form = await userForm(request, reply);
    if (!form) return reply;
    const path = userPath(form.target.zuid);
    return refusedOnPage(reply, form, async () => {
      const confirm = asked(reply, form, {
        title: `Disable ${form.target.email}?`,
        question: 'They cannot sign in, and every session, code and token of theirs stops working at once.',
        action: `${path}/disable`,
        confirmLabel: 'Disable',
      });
      if (confirm) return confirm;
      await developerConsole.disableUser(form.frame.account, form.target, form.by);
      return reply.redirect(`${path}?done=disabled`, 303);
    });
  });

  app.post<UserParams>('/developer-console/admin/users/:zuid/enable', async (request, reply) => {
    const form = await userForm(request, reply);
    if (!form) return reply;
    await developerConsole.enableUser(form.frame.account, form.target, form.by);
    return reply.redirect(`${userPath(form.target.zuid)}?done=enabled`, 303);
  });

  app.post<UserParams>('/developer-console/admin/users/:zuid/admin', async (request, reply) => {
    const form = await userForm(request, reply);
    if (!form) return reply;
    const path = userPath(form.target.zuid);
    const makeAdmin = form.params.get('admin') === 'yes';
    return refusedOnPage(reply, form, async () => {
      const confirm = asked(reply, form, {
        title: makeAdmin ? `Make ${form.target.email} an administrator?` : `Remove the administrator role of ${form.target.email}?`,
        question: 'They are signed out everywhere and sign in again with their new role.',
        action: `${path}/admin`,
        confirmLabel: makeAdmin ? 'Make administrator' : 'Remove administrator',
        fields: { admin: makeAdmin ? 'yes' : 'no' },
      });
      if (confirm) return confirm;
      await developerConsole.setAdministrator(form.frame.account, form.target, makeAdmin, form.by);
      return reply.redirect(`${path}?done=${makeAdmin ? 'made-admin' : 'removed-admin'}`, 303);
    });
  });

  app.post<UserParams>('/developer-console/admin/users/:zuid/reset-password', async (request, reply) => {
    const form = await userForm(request, reply);
    if (!form) return reply;
    const path = userPath(form.target.zuid);
    return refusedOnPage(reply, form, async () => {
      const confirm = asked(reply, form, {
        title: `Reset the password of ${form.target.email}?`,
        question: 'They are signed out everywhere and get a one-time password, shown to you once.',
        action: `${path}/reset-password`,
        confirmLabel: 'Reset password',
      });
      if (confirm) return confirm;
      const { user, password } = await developerConsole.resetPassword(form.frame.account, form.target, form.by);
      return context.html(
        reply,
        userDetailsPage({
          ...form.frame,
          target: user,
          oneTimePassword: password,
          notice: 'Password reset. Every session of theirs has ended.',
        }),
      );
    });
  });

  app.post<UserParams>('/developer-console/admin/users/:zuid/mfa-reset', async (request, reply) => {
    const form = await userForm(request, reply);
    if (!form) return reply;
    const path = userPath(form.target.zuid);
    return refusedOnPage(reply, form, async () => {
      const confirm = asked(reply, form, {
        title: `Remove every second factor of ${form.target.email}?`,
        question:
          'For a user who lost the phone: they are signed out everywhere and sign in with the password alone until they add one again.',
        action: `${path}/mfa-reset`,
        confirmLabel: 'Reset second factors',
      });
      if (confirm) return confirm;
      await developerConsole.resetFactors(form.frame.account, form.target, form.by);
      return reply.redirect(`${path}?done=mfa-reset`, 303);
    });
  });
}
