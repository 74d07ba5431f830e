import type { FastifyReply, FastifyRequest } from 'fastify';
import { startInteractionOf, type InteractionKind } from '../../core/authorize/interactions.js';
import type { Client } from '../../core/clients/client.js';
import { grantedScopes } from '../../core/grants/granted-scopes.js';
import type { User } from '../../core/users/user.js';
import { consentPage, type ConsentPage } from '../../ui/pages/consent.js';
import type { BrowserContext } from './browser-context.js';

/** What a consent page asks about, and how it words it. */
export interface ConsentQuestion<T extends { clientId: string }> extends Pick<ConsentPage, 'offline' | 'additional' | 'organisations'> {
  kind: InteractionKind;
  /** The validated request the answer takes up again; it waits in the store, the form carries only its handle. */
  pending: T;
  /** Where the form is posted. */
  answerPath: string;
  user: User;
  client: Client;
  /** The scopes asked for, canonical names, space separated. */
  scope: string;
}

/**
 * Shows a consent page (the authorization endpoint's, org-level authorization's, a scope enhancement's): the request
 * waits as a one-time interaction of its kind, and the page asks about it.
 */
export async function sendConsentPage<T extends { clientId: string }>(
  context: BrowserContext,
  request: FastifyRequest,
  reply: FastifyReply,
  question: ConsentQuestion<T>,
): Promise<FastifyReply> {
  const { gatehouse } = context;
  const { storage } = gatehouse;
  const { kind, pending, answerPath, user, client, scope, ...wording } = question;
  const interaction = await startInteractionOf(kind, pending, user.zuid, {
    interactions: storage.interactions,
    hasher: gatehouse.hasher,
    now: gatehouse.now,
  });
  return reply.type('text/html; charset=utf-8').send(
    consentPage({
      csrf: context.csrf.token(request, reply),
      answer: { action: answerPath, fields: { interaction } },
      user,
      client,
      // One read, only where a page is shown: a client's dynamic registration lives outside its row.
      registeredDynamically: (await storage.registrations.find(client.clientId)) !== undefined,
      scopes: gatehouse.scopes.inWords(grantedScopes(scope, gatehouse.scopes)),
      ...wording,
    }),
  );
}
