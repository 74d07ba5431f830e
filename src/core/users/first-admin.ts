import type { DataCenters } from '../datacenters/data-centers.js';
import { ManagementError } from '../errors/management-error.js';
import type { UserRepository } from './user-repository.js';
import { createUser } from './create-user.js';
import { oneTimePassword } from './passwords.js';

export const DEFAULT_ADMIN_EMAIL = 'admin@gatehouse.local';

/**
 * On a store with no users, creates the first admin with a random one-time password (to be changed at first sign-in)
 * and returns the credentials (and the ZUID, for the audit log) so the caller can print them once. Returns undefined when users exist already, or
 * another node won the race to create the first one.
 */
export async function ensureFirstAdmin(
  deps: { users: UserRepository; now: () => number; dataCenters?: DataCenters },
  email: string = DEFAULT_ADMIN_EMAIL,
): Promise<{ email: string; password: string; zuid: string } | undefined> {
  if ((await deps.users.count()) > 0) return undefined;
  const password = oneTimePassword();
  try {
    const { zuid } = await createUser(
      { email, password, firstName: 'Gatehouse', lastName: 'Admin', isAdmin: true, mustChangePassword: true },
      deps,
    );
    return { email, password, zuid };
  } catch (err) {
    if (err instanceof ManagementError && err.code === 'user.email_taken') return undefined;
    throw err;
  }
}
