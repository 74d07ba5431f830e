import type { Scope } from '@gatehouse/resource-server';
import type { User } from '../users/user.js';

/** The single-word scopes of "Sign in using Zoho" and OpenID Connect (spec §10). Any of them brings an id_token. */
export const OIDC_SCOPES: ReadonlySet<string> = new Set(['openid', 'email', 'profile']);

export function wantsIdentity(scopes: readonly Scope[]): boolean {
  return scopes.some((s) => OIDC_SCOPES.has(s.name));
}

export interface IdentityClaims {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  preferred_username?: string;
}

/**
 * The claims the granted scopes release (OpenID Connect Core §5.4): `email` gives the address, `profile` the names.
 * `email_verified` is false because Gatehouse does not verify addresses; it says so rather than claim otherwise.
 */
export function identityClaims(user: User, scopes: readonly Scope[]): IdentityClaims {
  const names = new Set(scopes.map((s) => s.name));
  return {
    sub: user.zuid,
    ...(names.has('email') ? { email: user.email, email_verified: false } : {}),
    ...(names.has('profile')
      ? { name: user.displayName, given_name: user.firstName, family_name: user.lastName, preferred_username: user.email }
      : {}),
  };
}
