import type { MfaPolicy } from '../config/config.js';
import type { User } from '../users/user.js';
import type { MfaDeps } from './mfa-deps.js';
import { hasSecondFactor } from './second-factor.js';

/** Whether `GATEHOUSE_REQUIRE_MFA` asks this user for a second factor. */
export function policyCovers(policy: MfaPolicy, user: User): boolean {
  return policy === 'all' || (policy === 'admins' && user.isAdmin);
}

/**
 * Whether the user must add a second factor before going anywhere: the policy covers them and they have none. With
 * the policy off (the default) it asks the store nothing.
 */
export async function mustAddFactor(policy: MfaPolicy, user: User, deps: Pick<MfaDeps, 'storage'>): Promise<boolean> {
  return policyCovers(policy, user) && !(await hasSecondFactor(user.zuid, deps));
}
