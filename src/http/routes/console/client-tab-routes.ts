import type { FastifyInstance } from 'fastify';
import { DEFAULT_SELF_CLIENT_CODE_MINUTES } from '../../../core/config/config.js';
import { ManagementError } from '../../../core/errors/management-error.js';
import { clientGrantsPage } from '../../../ui/pages/console/client-grants.js';
import { clientSecretPage } from '../../../ui/pages/console/client-secret.js';
import { clientSettingsPage, dataCenterField } from '../../../ui/pages/console/client-settings.js';
import { generateCodePage } from '../../../ui/pages/console/generate-code.js';
import { clientPath } from '../../../ui/pages/console/frame.js';
import type { ManagedClient } from '../../../core/console/developer-console.js';
import type { ConsoleRoutesContext } from './console-request.js';

type ClientParams = { Params: { clientId: string } };

/** A client's Client Secret, Generate Code, Grants and Settings (Multi-DC) tabs. */
export function clientTabRoutes(app: FastifyInstance, context: ConsoleRoutesContext): void {
  const { console: developerConsole, browser } = context;
  const { scopes } = browser.gatehouse;
  const scopeCatalogue = scopes.inWords(scopes.names().map((name) => scopes.lookup(name)!));
  const emptyCodeForm = { scope: '', duration: String(DEFAULT_SELF_CLIENT_CODE_MINUTES), description: '' };

  app.get<ClientParams>('/developer-console/clients/:clientId/secret', async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    const client = await developerConsole.client(frame.account, request.params.clientId);
    return context.html(reply, clientSecretPage({ ...frame, client }));
  });

  app.post<ClientParams>('/developer-console/clients/:clientId/secret', async (request, reply) => {
    const back = `${clientPath(request.params.clientId)}/secret`;
    const form = await context.clientForm(request, reply, back);
    if (!form) return reply;
    const { client } = form;
    const asked = context.askFirst(reply, form, {
      title: 'Rotate the client secret?',
      question: `The current secret of ${client.name} stops working at once. Gatehouse shows the new one once.`,
      action: back,
      confirmLabel: 'Rotate secret',
      cancelHref: back,
    });
    if (asked) return asked;
    const rotated = await developerConsole.rotateSecret(client, form.by);
    return context.html(
      reply,
      clientSecretPage({ ...form.frame, client, newSecret: rotated.clientSecret, notice: 'Secret rotated. The old one no longer works.' }),
    );
  });

  const { dataCenters } = browser.gatehouse.config;
  const homeDc = (client: ManagedClient) => (dataCenters.of(client.homeDc ?? null) ?? dataCenters.primary).location;
  app.get<ClientParams>('/developer-console/clients/:clientId/settings', async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    const client = await developerConsole.client(frame.account, request.params.clientId);
    return context.html(reply, clientSettingsPage({ ...frame, client, homeDc: homeDc(client) }));
  });

  app.post<ClientParams>('/developer-console/clients/:clientId/settings', async (request, reply) => {
    const form = await context.clientForm(request, reply, `${clientPath(request.params.clientId)}/settings`);
    if (!form) return reply;
    const chosen = dataCenters.locations().filter((dc) => form.params.get(dataCenterField(dc)) === 'yes');
    const client = await developerConsole.setDataCenters(form.client, chosen, form.by);
    return context.html(reply, clientSettingsPage({ ...form.frame, client, homeDc: homeDc(client), notice: 'Multi-DC settings saved.' }));
  });

  app.get<ClientParams>('/developer-console/clients/:clientId/generate-code', async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    const client = await developerConsole.client(frame.account, request.params.clientId);
    if (client.type !== 'self') return reply.redirect(clientPath(client.clientId), 303);
    return context.html(reply, generateCodePage({ ...frame, client, scopes: scopeCatalogue, values: emptyCodeForm }));
  });

  app.post<ClientParams>('/developer-console/clients/:clientId/generate-code', async (request, reply) => {
    const form = await context.clientForm(request, reply, `${clientPath(request.params.clientId)}/generate-code`);
    if (!form) return reply;
    const { client } = form;
    const values = {
      scope: form.params.get('scope') ?? '',
      duration: form.params.get('duration') ?? emptyCodeForm.duration,
      description: form.params.get('description') ?? '',
    };
    const page = { ...form.frame, client, scopes: scopeCatalogue, values };
    try {
      const code = await developerConsole.generateCode(
        client,
        {
          scope: values.scope,
          durationMinutes: /^\d{1,2}$/.test(values.duration) ? Number(values.duration) : Number.NaN,
          description: values.description,
        },
        form.by,
      );
      const generated = { code: code.code, scope: code.scope, expiresAt: browser.gatehouse.now() + code.expires_in * 1000 };
      return context.html(reply, generateCodePage({ ...page, generated }), 201);
    } catch (err) {
      if (!(err instanceof ManagementError)) throw err;
      return context.html(reply, generateCodePage({ ...page, error: err }), err.status);
    }
  });

  app.get<ClientParams & { Querystring: { revoked?: string } }>('/developer-console/clients/:clientId/grants', async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    const client = await developerConsole.client(frame.account, request.params.clientId);
    const grants = await developerConsole.grants(client);
    const notice = request.query.revoked === '1' ? 'Grant revoked. That user’s tokens no longer work.' : undefined;
    return context.html(reply, clientGrantsPage({ ...frame, client, grants, notice }));
  });

  app.post<ClientParams>('/developer-console/clients/:clientId/grants/revoke', async (request, reply) => {
    const back = `${clientPath(request.params.clientId)}/grants`;
    const form = await context.clientForm(request, reply, back);
    if (!form) return reply;
    const { client } = form;
    const zuid = form.params.get('zuid') ?? '';
    const asked = context.askFirst(reply, form, {
      title: 'Revoke this grant?',
      question: `The user's tokens for ${client.name} stop working at once, and the app must ask for consent again.`,
      action: `${back}/revoke`,
      confirmLabel: 'Revoke grant',
      cancelHref: back,
      fields: { zuid },
    });
    if (asked) return asked;
    await developerConsole.revokeGrant(client, zuid, form.by);
    return reply.redirect(`${back}?revoked=1`, 303);
  });
}
