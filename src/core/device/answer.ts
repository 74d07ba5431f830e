import type { Client } from '../clients/client.js';
import type { RateLimit } from '../config/config.js';
import type { GrantDeps } from '../grants/grant-handler.js';
import type { Storage } from '../store.js';
import type { DeviceAuthorization } from './device-authorization-repository.js';
import { userCodeKey } from './device-authorization.js';
import { normaliseUserCode } from './user-code.js';

/** User codes a signed-in user may try (RFC 8628 §5.1: rate-limit code entry); a typo costs one. */
export const USER_CODE_ATTEMPTS: RateLimit = { count: 10, windowSeconds: 600 };

/** What finding and answering a device authorization use. */
export interface DeviceAnswerDeps extends Pick<GrantDeps, 'rateLimiter' | 'hasher' | 'now'> {
  storage: Pick<Storage, 'deviceAuthorizations' | 'clients' | 'consents'>;
}

export type FoundDeviceAuthorization =
  | { found: true; authorization: DeviceAuthorization; client: Client; key: string }
  | { found: false; why: 'unknown' | 'throttled'; retryAfter?: number };

/**
 * The authorization waiting for an answer under the code a user typed: pending, live, its client still there. Every
 * attempt counts against `USER_CODE_ATTEMPTS`, so the codes cannot be tried through.
 */
export async function findWaitingAuthorization(typed: string, userZuid: string, deps: DeviceAnswerDeps): Promise<FoundDeviceAuthorization> {
  const attempt = await deps.rateLimiter.reserve([{ key: `user_code:${userZuid}`, limit: USER_CODE_ATTEMPTS }]);
  if (!attempt.allowed) return { found: false, why: 'throttled', retryAfter: attempt.retryAfter };
  const normalised = normaliseUserCode(typed);
  if (normalised === undefined) return { found: false, why: 'unknown' };
  const key = userCodeKey(normalised, deps.hasher);
  const authorization = await deps.storage.deviceAuthorizations.findByUserCode(key);
  if (!authorization || authorization.status !== 'pending' || authorization.expiresAt <= deps.now())
    return { found: false, why: 'unknown' };
  const client = await deps.storage.clients.find(authorization.clientId);
  return client ? { found: true, authorization, client, key } : { found: false, why: 'unknown' };
}

/**
 * The user's answer. Approving records the consent (so the app is listed under Connected apps and can be revoked there)
 * and lets the device's next poll take its tokens. False when the authorization was answered meanwhile or expired.
 */
export async function answerDeviceAuthorization(
  waiting: Extract<FoundDeviceAuthorization, { found: true }>,
  approve: boolean,
  userZuid: string,
  deps: DeviceAnswerDeps,
): Promise<boolean> {
  const now = deps.now();
  const decided = await deps.storage.deviceAuthorizations.decide(waiting.key, approve ? 'approved' : 'denied', userZuid, now);
  if (decided && approve) await deps.storage.consents.grant(userZuid, waiting.client.clientId, waiting.authorization.scopes, now);
  return decided;
}
