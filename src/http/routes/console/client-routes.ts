import type { FastifyInstance } from 'fastify';
import { parseClientType } from '../../../core/clients/register-client.js';
import type { ClientFields } from '../../../core/clients/validate-client.js';
import { FieldErrors, ManagementError } from '../../../core/errors/management-error.js';
import { chooseTypePage } from '../../../ui/pages/console/choose-type.js';
import { EMPTY_CLIENT_FORM, type ClientFormValues } from '../../../ui/pages/console/client-form.js';
import { clientDetailsPage, formValuesOf } from '../../../ui/pages/console/client-details.js';
import { clientSecretPage } from '../../../ui/pages/console/client-secret.js';
import { clientsListPage } from '../../../ui/pages/console/clients-list.js';
import { newClientPage } from '../../../ui/pages/console/new-client.js';
import type { RequestParams } from '../../../core/params/request-params.js';
import { clientPath } from '../../../ui/pages/console/frame.js';
import { lines, type ConsoleRoutesContext } from './console-request.js';

type ClientParams = { Params: { clientId: string } };

/** The console's list of clients, Add Client, and each client's details (edit, delete). */
export function clientRoutes(app: FastifyInstance, context: ConsoleRoutesContext): void {
  const { console: developerConsole } = context;

  app.get<{ Querystring: { deleted?: string } }>('/developer-console', async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    const clients = await developerConsole.listClients(frame.account);
    const notice = request.query.deleted === '1' ? 'Client deleted. Every token it held has stopped working.' : undefined;
    return context.html(reply, clientsListPage({ ...frame, clients, notice }));
  });

  app.get('/developer-console/new', async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    const own = await developerConsole.listClients(frame.account);
    return context.html(reply, chooseTypePage({ ...frame, selfClientId: own.find((c) => c.type === 'self')?.clientId }));
  });

  app.get<{ Params: { type: string } }>('/developer-console/new/:type', async (request, reply) => {
    const type = parseClientType(request.params.type);
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    return context.html(reply, newClientPage({ ...frame, type, values: EMPTY_CLIENT_FORM }));
  });

  app.post<{ Params: { type: string } }>('/developer-console/new/:type', async (request, reply) => {
    const type = parseClientType(request.params.type);
    const form = await context.form(request, reply, `/developer-console/new/${type}`);
    if (!form) return reply;
    const values = formValues(form.params);
    try {
      const { client, clientSecret } = await developerConsole.register(form.frame.account, type, clientFields(values), form.by);
      // Rendered in answer to the POST, not after a redirect: the secret must not travel in a URL or be stored to show later.
      return context.html(reply, clientSecretPage({ ...form.frame, client, newSecret: clientSecret, notice: 'Client created.' }), 201);
    } catch (err) {
      return context.html(reply, newClientPage({ ...form.frame, type, values, errors: asFieldErrors(err) }), statusOf(err));
    }
  });

  app.get<ClientParams & { Querystring: { saved?: string } }>('/developer-console/clients/:clientId', async (request, reply) => {
    const frame = await context.frame(request, reply);
    if (!frame) return reply;
    const client = await developerConsole.client(frame.account, request.params.clientId);
    const notice = request.query.saved === '1' ? 'Changes saved.' : undefined;
    return context.html(reply, clientDetailsPage({ ...frame, client, values: formValuesOf(client), notice }));
  });

  app.post<ClientParams>('/developer-console/clients/:clientId', async (request, reply) => {
    const base = clientPath(request.params.clientId);
    const form = await context.clientForm(request, reply, base);
    if (!form) return reply;
    const { client } = form;
    const values = formValues(form.params);
    try {
      await developerConsole.update(client, clientFields(values), form.by);
      return reply.redirect(`${base}?saved=1`, 303);
    } catch (err) {
      return context.html(reply, clientDetailsPage({ ...form.frame, client, values, errors: asFieldErrors(err) }), statusOf(err));
    }
  });

  app.post<ClientParams>('/developer-console/clients/:clientId/delete', async (request, reply) => {
    const base = clientPath(request.params.clientId);
    const form = await context.clientForm(request, reply, base);
    if (!form) return reply;
    const asked = context.askFirst(reply, form, {
      title: `Delete ${form.client.name}?`,
      question: 'Every token the client holds stops working at once, and every consent to it is forgotten. This cannot be undone.',
      action: `${base}/delete`,
      confirmLabel: 'Delete client',
      cancelHref: base,
    });
    if (asked) return asked;
    await developerConsole.delete(form.client, form.by);
    return reply.redirect('/developer-console?deleted=1', 303);
  });
}

function formValues(params: RequestParams): ClientFormValues {
  return {
    name: params.get('name') ?? '',
    homepage: params.get('homepage') ?? '',
    redirect_uris: params.get('redirect_uris') ?? '',
    js_domains: params.get('js_domains') ?? '',
    post_logout_redirect_uris: params.get('post_logout_redirect_uris') ?? '',
    backchannel_logout_uri: params.get('backchannel_logout_uri') ?? '',
    backchannel_logout_session_required: params.get('backchannel_logout_session_required') === 'yes' ? 'yes' : 'no',
    dpop_bound_access_tokens: params.get('dpop_bound_access_tokens') === 'yes',
    token_endpoint_auth_method: params.get('token_endpoint_auth_method') ?? '',
    jwks: params.get('jwks') ?? '',
    jwks_uri: params.get('jwks_uri') ?? '',
    require_signed_request_object: params.get('require_signed_request_object') === 'yes' ? 'yes' : 'no',
    jwt_access_tokens: params.get('access_token_format') === 'jwt',
    id_token_signed_response_alg: params.get('id_token_signed_response_alg') ?? '',
    userinfo_signed_response_alg: params.get('userinfo_signed_response_alg') ?? '',
    require_pushed_authorization_requests: params.get('require_pushed_authorization_requests') === 'yes',
  };
}

/** The form's values in the core's terms. An emptied field stays empty, so editing cannot silently keep the old value. */
function clientFields(values: ClientFormValues): ClientFields {
  return {
    name: values.name,
    homepage: values.homepage,
    redirectUris: lines(values.redirect_uris),
    jsDomains: lines(values.js_domains),
    postLogoutRedirectUris: lines(values.post_logout_redirect_uris),
    backchannelLogoutUri: values.backchannel_logout_uri,
    backchannelLogoutSessionRequired: values.backchannel_logout_session_required === 'yes',
    dpopBoundAccessTokens: values.dpop_bound_access_tokens,
    // Left out by a client-based app's form: its method is always none.
    tokenEndpointAuthMethod: values.token_endpoint_auth_method || undefined,
    jwks: values.jwks,
    jwksUri: values.jwks_uri,
    requireSignedRequestObject: values.require_signed_request_object === 'yes',
    accessTokenFormat: values.jwt_access_tokens ? 'jwt' : 'opaque',
    idTokenSignedResponseAlg: values.id_token_signed_response_alg,
    userinfoSignedResponseAlg: values.userinfo_signed_response_alg,
    requirePushedAuthorizationRequests: values.require_pushed_authorization_requests,
  };
}

/** A form's problems, one or many; anything that is not a management error is the page error handler's. */
function asFieldErrors(err: unknown): FieldErrors {
  if (err instanceof FieldErrors) return err;
  if (err instanceof ManagementError) return new FieldErrors([err]);
  throw err;
}

function statusOf(err: unknown): number {
  return err instanceof ManagementError ? err.status : 500;
}
