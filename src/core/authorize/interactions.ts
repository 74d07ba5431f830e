import { randomBytes } from 'node:crypto';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import type { InteractionRepository } from './interaction-repository.js';
import type { AuthorizationRequest } from './authorization-request.js';

/** How long a consent page may stay open before its answer is refused. */
export const INTERACTION_TTL_MS = 10 * 60_000;

/**
 * A consent page's one-time handle. The page's form carries the handle, not the request: the request was validated
 * when the page was shown and waits in the store, so nothing in the form can be edited into a different request, and
 * answering twice (a replayed POST) finds nothing the second time.
 */
export async function startInteraction(
  request: AuthorizationRequest,
  userZuid: string,
  deps: { interactions: InteractionRepository; hasher: CredentialHasher; now: () => number },
): Promise<string> {
  const handle = randomBytes(32).toString('base64url');
  const now = deps.now();
  await deps.interactions.create({
    id: deps.hasher.hash(handle),
    userZuid,
    clientId: request.clientId,
    request: JSON.stringify(request),
    createdAt: now,
    expiresAt: now + INTERACTION_TTL_MS,
  });
  return handle;
}

/** Takes the interaction a form answers: only once, only by the user it was shown to, only while fresh. */
export async function finishInteraction(
  handle: string,
  userZuid: string,
  deps: { interactions: InteractionRepository; hasher: CredentialHasher; now: () => number },
): Promise<AuthorizationRequest | undefined> {
  // The user is part of the take, not checked after it: another user's answer must not use the page up.
  const interaction = await deps.interactions.consume(deps.hasher.hash(handle), userZuid, deps.now());
  return interaction && (JSON.parse(interaction.request) as AuthorizationRequest);
}
