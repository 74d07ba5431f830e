import type { FastifyInstance } from 'fastify';
import { byUser } from '../../core/audit/audit-log.js';
import { grantedScopes } from '../../core/grants/granted-scopes.js';
import { revokeGrant, revokeOrgGrant } from '../../core/tokens/revocation.js';
import type { User } from '../../core/users/user.js';
import { connectedAppsPage, type ConnectedApp, type OrgConnectedApp } from '../../ui/pages/connected-apps.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { notOrgAdministrator } from '../browser/page-error.js';
import { requestParams } from '../request-params.js';

/**
 * "Connected apps": every application the user granted, and a Revoke per app that ends its access at once: its
 * refresh and access tokens are deleted and the consent forgotten, so the next authorization asks again. Below them,
 * for an administrator, the applications granted access to their organisations (org-level authorization), which any
 * of the organisation's administrators may revoke.
 */
export function connectedAppsRoutes(app: FastifyInstance, context: BrowserContext): void {
  const { gatehouse, csrf } = context;
  const { storage } = gatehouse;

  app.get('/', async (_request, reply) => reply.redirect('/account/connected-apps', 303));

  app.get('/account/connected-apps', async (request, reply) => {
    const user = await context.userOrDetour(request, reply);
    if (!user) return reply;
    const apps: ConnectedApp[] = [];
    for (const consent of await storage.consents.listForUser(user.zuid)) {
      const app = await connectedApp(consent);
      if (app) apps.push(app);
    }
    const orgApps = await orgConnectedApps(user);
    const notice = requestParams(request, gatehouse.config.maxParameterLength).get('revoked') === '1' ? 'Access revoked.' : undefined;
    return reply
      .type('text/html; charset=utf-8')
      .send(
        connectedAppsPage({ csrf: csrf.token(request, reply), user, apps, ...(orgApps ? { orgApps } : {}), ...(notice ? { notice } : {}) }),
      );
  });

  /** The org-wide grants of the organisations the user administers; undefined when they administer none. */
  async function orgConnectedApps(user: User): Promise<OrgConnectedApp[] | undefined> {
    const organisations = await storage.organisations.administeredBy(user.zuid);
    if (organisations.length === 0) return undefined;
    const apps: OrgConnectedApp[] = [];
    for (const org of organisations) {
      for (const grant of await storage.tokens.listGrants({ orgId: org.id })) {
        const app = await connectedApp(grant);
        if (app) apps.push({ ...app, org: { id: org.id, name: org.name } });
      }
    }
    return apps;
  }

  /** A grant as the page shows it; undefined when its client is gone (deleted since the list was read). */
  async function connectedApp(grant: {
    clientId: string;
    scopes: string;
    firstGrantedAt: number;
    lastGrantedAt: number;
  }): Promise<ConnectedApp | undefined> {
    const client = await storage.clients.find(grant.clientId);
    if (!client) return undefined;
    return {
      clientId: client.clientId,
      name: client.name,
      homepage: client.homepage,
      scopes: gatehouse.scopes.inWords(grantedScopes(grant.scopes, gatehouse.scopes)),
      firstGrantedAt: grant.firstGrantedAt,
      lastGrantedAt: grant.lastGrantedAt,
    };
  }

  app.post('/account/connected-apps/revoke', async (request, reply) => {
    const params = requestParams(request, gatehouse.config.maxParameterLength);
    csrf.verify(request, params);
    const user = await context.currentUser(request);
    if (!user) return context.redirectToSignIn(reply, '/account/connected-apps');
    const clientId = params.require('client_id');
    await revokeGrant(user.zuid, clientId, byUser(user, request.ip), gatehouse);
    return reply.redirect('/account/connected-apps?revoked=1', 303);
  });

  app.post('/account/connected-apps/revoke-org', async (request, reply) => {
    const params = requestParams(request, gatehouse.config.maxParameterLength);
    csrf.verify(request, params);
    const user = await context.currentUser(request);
    if (!user) return context.redirectToSignIn(reply, '/account/connected-apps');
    const orgId = params.require('org_id');
    const clientId = params.require('client_id');
    // An org-wide grant is the organisation's: whoever administers it now may end it; nobody else may, nor learn of it.
    if ((await storage.organisations.roleOf(orgId, user.zuid)) !== 'admin') {
      throw notOrgAdministrator('revoke its applications');
    }
    await revokeOrgGrant(orgId, clientId, byUser(user, request.ip), gatehouse);
    return reply.redirect('/account/connected-apps?revoked=1', 303);
  });
}
