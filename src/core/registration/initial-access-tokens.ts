import { randomBytes } from 'node:crypto';
import { DuplicateError } from '../errors/duplicate-error.js';
import { ManagementError } from '../errors/management-error.js';
import { invalidToken } from '../errors/oauth-error.js';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import type { UserRepository } from '../users/user-repository.js';
import type { InitialAccessToken, InitialAccessTokenRepository } from './registration-repository.js';

/**
 * RFC 7591 §3's initial access tokens for `GATEHOUSE_REGISTRATION=token`. Each registers one client (single use: a
 * token handed to a CI job or a partner cannot be replayed to fill the clients table), optionally within a lifetime,
 * optionally for an owner whose console the client then appears in. Stored as keyed hashes.
 */
export interface InitialAccessTokenDeps {
  users: UserRepository;
  initialAccessTokens: InitialAccessTokenRepository;
  hasher: CredentialHasher;
  now: () => number;
}

/** `ghiat_` and 256 random bits: recognisable in a leaked log or a secret scanner, and high-entropy. */
const TOKEN = /^ghiat_[A-Za-z0-9_-]{43}$/;

export async function createInitialAccessToken(
  input: { expiresInSeconds?: number | undefined; ownerEmail?: string | undefined },
  deps: InitialAccessTokenDeps,
): Promise<{ token: string; record: InitialAccessToken; ownerEmail: string | null }> {
  const owner = input.ownerEmail === undefined ? undefined : await deps.users.findByEmail(input.ownerEmail);
  if (input.ownerEmail !== undefined && !owner) throw new ManagementError('user.not_found', 'No user has this email.', 404, 'owner');
  const expires = input.expiresInSeconds;
  if (expires !== undefined && !(Number.isInteger(expires) && expires > 0))
    throw new ManagementError('registration.expiry_invalid', 'The lifetime must be a positive whole number of seconds.', 400, 'expires-in');
  const token = `ghiat_${randomBytes(32).toString('base64url')}`;
  const now = deps.now();
  const record: InitialAccessToken = {
    id: deps.hasher.hash(token),
    // Public: a random label, not part of the token, so listing never shows anything usable.
    label: `iat_${randomBytes(6).toString('hex')}`,
    ownerZuid: owner?.zuid ?? null,
    createdAt: now,
    expiresAt: expires === undefined ? null : now + expires * 1000,
    usedAt: null,
  };
  try {
    await deps.initialAccessTokens.create(record);
  } catch (err) {
    if (err instanceof DuplicateError) throw new ManagementError('registration.label_taken', 'Try again: the label was taken.', 409);
    throw err;
  }
  return { token, record, ownerEmail: owner?.email ?? null };
}

export function listInitialAccessTokens(deps: InitialAccessTokenDeps): Promise<InitialAccessToken[]> {
  return deps.initialAccessTokens.list();
}

export async function revokeInitialAccessToken(label: string, deps: InitialAccessTokenDeps): Promise<void> {
  if (!(await deps.initialAccessTokens.delete(label.trim())))
    throw new ManagementError('registration.token_not_found', `No initial access token is labelled "${label}".`, 404, 'label');
}

/**
 * The initial access token a registration presents, if it may register a client now. Checked before the metadata
 * (a stranger learns nothing from a 400), used up only after it (see `useInitialAccessToken`).
 */
export async function checkInitialAccessToken(
  bearer: string | undefined,
  deps: Pick<InitialAccessTokenDeps, 'initialAccessTokens' | 'hasher' | 'now'>,
): Promise<InitialAccessToken> {
  if (bearer === undefined) throw invalidToken('token_missing', 'Registration requires an initial access token.');
  const record = TOKEN.test(bearer) ? await deps.initialAccessTokens.find(deps.hasher.hash(bearer)) : undefined;
  if (!record || !usable(record, deps.now())) throw refused();
  return record;
}

/** Marks the token used, atomically: of two registrations racing with one token, only one gets past here. */
export async function useInitialAccessToken(
  record: InitialAccessToken,
  deps: Pick<InitialAccessTokenDeps, 'initialAccessTokens' | 'now'>,
): Promise<void> {
  if (!(await deps.initialAccessTokens.use(record.id, deps.now()))) throw refused();
}

function usable(record: InitialAccessToken, now: number): boolean {
  return record.usedAt === null && (record.expiresAt === null || record.expiresAt > now);
}

const refused = () => invalidToken('token_invalid', 'The initial access token is unknown, used or expired.');
