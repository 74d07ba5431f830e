import { actors, type AuditEntry } from '../audit/audit-log.js';
import type { GatehouseEvents, SignInOutcome } from '../observability/events.js';
import { signInAddressSlot } from '../users/sign-in.js';
import type { User } from '../users/user.js';
import type { UserRepository } from '../users/user-repository.js';
import type { MfaDeps } from './mfa-deps.js';
import { checkAssertion, type AssertionFailure } from './passkey-assertion.js';

/**
 * What a session begun with a passkey alone says of itself (RFC 8176): `hwk`, a hardware-held key proved its
 * possession; `user`, the authenticator verified the person (WebAuthn's UV flag, required here: a PIN or a biometric,
 * which the authenticator does not say, so neither `pin` nor `fpt` is claimed); and `mfa`, because possession plus
 * that verification are two factors, which is why `GATEHOUSE_REQUIRE_MFA` is satisfied by it. No `pwd`: none was typed.
 */
export const PASSKEY_SIGN_IN_AMR = 'hwk user mfa';

export type PasskeySignInResult =
  | { status: 'ok'; user: User }
  | { status: 'invalid' }
  | { status: 'throttled'; retryAfter: number }
  /** The passkey was right, so saying the account is disabled reveals nothing to someone without it. */
  | { status: 'disabled' };

type Check =
  | { status: 'ok'; user: User }
  | { status: 'throttled'; retryAfter: number }
  | { status: 'failed'; reason: AssertionFailure | 'disabled'; user?: User };

/**
 * Signs in with a passkey alone (a discoverable credential with user verification). It takes its place under the
 * address's sign-in limit first, the one password guesses from that address count against, so it is no way around
 * that limit; a right passkey gives the place back. Each outcome is an audit event and an observability event of the
 * `passkey` step.
 */
export async function signInWithPasskey(
  responseJson: string | undefined,
  address: string,
  deps: MfaDeps & { users: UserRepository; events: GatehouseEvents },
): Promise<PasskeySignInResult> {
  const result = await checkPasskeySignIn(responseJson, address, deps);
  const actor = result.status === 'ok' ? actors.user(result.user) : actors.anonymous;
  await deps.audit.record({ actor, address }, passkeySignInEvent(result));
  deps.events.signIn(OUTCOME[result.status], 'passkey');
  if (result.status !== 'failed') return result;
  return { status: result.reason === 'disabled' ? 'disabled' : 'invalid' };
}

const OUTCOME: Record<Check['status'], SignInOutcome> = { ok: 'success', failed: 'failure', throttled: 'throttled' };

function passkeySignInEvent(result: Check): AuditEntry {
  if (result.status === 'ok') return { type: 'user.signin.passkey.succeeded', userZuid: result.user.zuid, subject: result.user.email };
  if (result.status === 'throttled') return { type: 'user.signin.passkey.throttled', outcome: 'failure' };
  const about = { userZuid: result.user?.zuid ?? null, subject: result.user?.email ?? null };
  return { type: 'user.signin.passkey.failed', outcome: 'failure', detail: result.reason, ...about };
}

async function checkPasskeySignIn(
  responseJson: string | undefined,
  address: string,
  deps: MfaDeps & { users: UserRepository },
): Promise<Check> {
  const reservation = await deps.rateLimiter.reserve([signInAddressSlot(address)]);
  if (!reservation.allowed) return { status: 'throttled', retryAfter: reservation.retryAfter };
  const check = await checkAssertion(responseJson, { purpose: 'passwordless', userZuid: null }, deps);
  const user = check.passkey && (await deps.users.findByZuid(check.passkey.userZuid));
  if (check.status !== 'ok') return { status: 'failed', reason: check.reason, ...(user ? { user } : {}) };
  if (!user) return { status: 'failed', reason: 'unknown_passkey' };
  await reservation.release();
  return user.disabled ? { status: 'failed', reason: 'disabled', user } : { status: 'ok', user };
}
