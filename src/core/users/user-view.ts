import type { User } from './user.js';

/** A user as the CLI and the management API show them: never the password hash. */
export function userView(user: User): Record<string, unknown> {
  return {
    zuid: user.zuid,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    is_admin: user.isAdmin,
    disabled: user.disabled,
    must_change_password: user.mustChangePassword,
    created_at: new Date(user.createdAt).toISOString(),
    // The home data centre, named on a deployment of several (absent: the primary, as with one DC).
    ...(user.dc ? { dc: user.dc } : {}),
  };
}
