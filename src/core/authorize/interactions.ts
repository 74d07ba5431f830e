import { randomBytes } from 'node:crypto';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import type { InteractionRepository } from './interaction-repository.js';
import type { AuthorizationRequest } from './authorization-request.js';

/** How long a consent page may stay open before its answer is refused. */
export const INTERACTION_TTL_MS = 10 * 60_000;

type InteractionDeps = { interactions: InteractionRepository; hasher: CredentialHasher; now: () => number };

/**
 * What a consent page asks about, by kind: an authorization request, an org-wide one, or a scope enhancement (spec §8). The kind is part
 * of what the handle is stored under, so a handle from one kind of page finds nothing (and uses nothing up) at the
 * other kind's answer.
 */
export type InteractionKind = 'authorize' | 'org_authorize' | 'scope_enhancement';

/**
 * A consent page's one-time handle. The page's form carries the handle, not the request: the request was validated
 * when the page was shown and waits in the store, so nothing in the form can be edited into a different request, and
 * answering twice (a replayed POST) finds nothing the second time.
 */
export async function startInteractionOf<T extends { clientId: string }>(
  kind: InteractionKind,
  request: T,
  userZuid: string,
  deps: InteractionDeps,
): Promise<string> {
  const handle = randomBytes(32).toString('base64url');
  const now = deps.now();
  await deps.interactions.create({
    id: storageKey(kind, handle, deps.hasher),
    userZuid,
    clientId: request.clientId,
    request: JSON.stringify(request),
    createdAt: now,
    expiresAt: now + INTERACTION_TTL_MS,
  });
  return handle;
}

/** Takes the interaction a form answers: only once, only by the user it was shown to, only while fresh, only its kind. */
export async function finishInteractionOf<T>(
  kind: InteractionKind,
  handle: string,
  userZuid: string,
  deps: InteractionDeps,
): Promise<T | undefined> {
  // The user is part of the take, not checked after it: another user's answer must not use the page up.
  const interaction = await deps.interactions.consume(storageKey(kind, handle, deps.hasher), userZuid, deps.now());
  return interaction && (JSON.parse(interaction.request) as T);
}

const storageKey = (kind: InteractionKind, handle: string, hasher: CredentialHasher): string => hasher.hash(`${kind}:${handle}`);

export const finishInteraction = (handle: string, userZuid: string, deps: InteractionDeps): Promise<AuthorizationRequest | undefined> =>
  finishInteractionOf<AuthorizationRequest>('authorize', handle, userZuid, deps);
