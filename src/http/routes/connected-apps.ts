import type { FastifyInstance } from 'fastify';
import { byUser } from '../../core/audit/audit-log.js';
import { grantedScopes } from '../../core/grants/granted-scopes.js';
import { connectedAppsPage, type ConnectedApp } from '../../ui/pages/connected-apps.js';
import type { BrowserContext } from '../browser/browser-context.js';
import { requestParams } from '../request-params.js';

/**
 * "Connected apps": every application the user granted, and a Revoke per app that ends its access at once: its
 * refresh and access tokens are deleted and the consent forgotten, so the next authorization asks again.
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
      const client = await storage.clients.find(consent.clientId);
      if (!client) continue;
      apps.push({
        clientId: client.clientId,
        name: client.name,
        homepage: client.homepage,
        scopes: gatehouse.scopes.inWords(grantedScopes(consent.scopes, gatehouse.scopes)),
        firstGrantedAt: consent.firstGrantedAt,
        lastGrantedAt: consent.lastGrantedAt,
      });
    }
    const notice = requestParams(request, gatehouse.config.maxParameterLength).get('revoked') === '1' ? 'Access revoked.' : undefined;
    return reply
      .type('text/html; charset=utf-8')
      .send(connectedAppsPage({ csrf: csrf.token(request, reply), user, apps, ...(notice ? { notice } : {}) }));
  });

  app.post('/account/connected-apps/revoke', async (request, reply) => {
    const params = requestParams(request, gatehouse.config.maxParameterLength);
    csrf.verify(request, params);
    const user = await context.currentUser(request);
    if (!user) return context.redirectToSignIn(reply, '/account/connected-apps');
    const clientId = params.require('client_id');
    await storage.transaction(async (tx) => {
      const tokens = await tx.tokens.revokeGrant(user.zuid, clientId);
      const revoked = (await tx.consents.revoke(user.zuid, clientId)) || tokens > 0;
      // In the revocation's transaction: the revocation and its record land together.
      if (revoked)
        await gatehouse.audit.appendIn(tx.auditEvents, byUser(user, request.ip), { type: 'grant.revoked', userZuid: user.zuid, clientId });
    });
    return reply.redirect('/account/connected-apps?revoked=1', 303);
  });
}
