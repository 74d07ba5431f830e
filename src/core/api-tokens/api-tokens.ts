import { randomBytes } from 'node:crypto';
import { ManagementError } from '../errors/management-error.js';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import type { User } from '../users/user.js';
import { DuplicateError } from '../errors/duplicate-error.js';
import type { ApiToken, ApiTokenRepository } from './api-token-repository.js';
import type { UserRepository } from '../users/user-repository.js';

export interface ApiTokenDeps {
  users: UserRepository;
  apiTokens: ApiTokenRepository;
  hasher: CredentialHasher;
  now: () => number;
}

/** `ghat_` and 256 random bits: recognisable in a leaked log or a secret scanner, and high-entropy, so a keyed hash suffices. */
const TOKEN = /^ghat_[A-Za-z0-9_-]{43}$/;
const NAME = /^[\p{L}\p{N} ._-]{1,64}$/u;

/** Issues an administrator's API token for the management API; shown once, stored as a keyed hash. */
export async function createApiToken(
  input: { email: string; name: string },
  deps: ApiTokenDeps,
): Promise<{ token: string; record: ApiToken; user: User }> {
  const user = await administrator(input.email, deps);
  const name = input.name.trim();
  if (!NAME.test(name))
    throw new ManagementError('api_token.name_invalid', 'Name the token with 1 to 64 letters, digits, spaces, ., _ or -.', 400, 'name');
  const token = `ghat_${randomBytes(32).toString('base64url')}`;
  const record: ApiToken = { id: deps.hasher.hash(token), userZuid: user.zuid, name, createdAt: deps.now() };
  try {
    await deps.apiTokens.create(record);
  } catch (err) {
    if (err instanceof DuplicateError && err.what === 'name')
      throw new ManagementError('api_token.name_taken', `${user.email} has a token named "${name}" already.`, 409, 'name');
    throw err;
  }
  return { token, record, user };
}

export async function listApiTokens(email: string, deps: ApiTokenDeps): Promise<ApiToken[]> {
  return deps.apiTokens.listForUser((await administrator(email, deps)).zuid);
}

/** Returns the token's owner. */
export async function revokeApiToken(input: { email: string; name: string }, deps: ApiTokenDeps): Promise<User> {
  const user = await administrator(input.email, deps);
  if (!(await deps.apiTokens.delete(user.zuid, input.name.trim())))
    throw new ManagementError('api_token.not_found', `${user.email} has no token named "${input.name}".`, 404, 'name');
  return user;
}

/**
 * The administrator an API token acts as, with the token's name (for the audit log), or undefined. A token whose owner
 * is no longer an administrator, or is disabled, stops working without being revoked.
 */
export async function apiTokenUser(
  token: string,
  deps: Pick<ApiTokenDeps, 'users' | 'apiTokens' | 'hasher'>,
): Promise<{ user: User; tokenName: string } | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const record = await deps.apiTokens.find(deps.hasher.hash(token));
  if (!record) return undefined;
  const user = await deps.users.findByZuid(record.userZuid);
  return user?.isAdmin && !user.disabled ? { user, tokenName: record.name } : undefined;
}

async function administrator(email: string, deps: ApiTokenDeps): Promise<User> {
  const user = await deps.users.findByEmail(email);
  if (!user) throw new ManagementError('user.not_found', 'No user has this email.', 404, 'email');
  if (!user.isAdmin) throw new ManagementError('auth.admin_required', 'API tokens are for administrators only.', 403, 'email');
  if (user.disabled) throw new ManagementError('user.disabled', `${user.email} is disabled.`, 403, 'email');
  return user;
}
