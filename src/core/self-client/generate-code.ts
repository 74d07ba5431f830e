import { DEFAULT_SELF_CLIENT_CODE_MINUTES, SELF_CLIENT_CODE_MINUTES, type GatehouseConfig } from '../config/config.js';
import { ManagementError } from '../errors/management-error.js';
import { isOAuthError } from '../errors/oauth-error.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { ScopeRegistry } from '../scopes/registry.js';
import { formatScopes, type Scope } from '@gatehouse/resource-server';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import { newOpaqueToken } from '../tokens/identifiers.js';
import type { CodeRepository } from '../authorize/code-repository.js';
import type { Client } from '../clients/client.js';

export interface SelfClientCodeInput {
  scope: string;
  /** Minutes, 3 to 10 (spec decision 2). */
  durationMinutes?: number;
  description?: string;
}

export interface SelfClientCode {
  code: string;
  expires_in: number;
  scope: string;
}

export interface SelfClientCodeDeps {
  codes: CodeRepository;
  hasher: CredentialHasher;
  scopes: ScopeRegistry;
  rateLimiter: RateLimiter;
  config: GatehouseConfig;
  now: () => number;
}

const MAX_DESCRIPTION = 250;

/**
 * The Self Client's "Generate Code" (spec §4): a single-use code for the client's owner, redeemed at the token endpoint
 * without a redirect_uri, which always yields a refresh token.
 */
export async function generateSelfClientCode(
  client: Client,
  input: SelfClientCodeInput,
  deps: SelfClientCodeDeps,
): Promise<SelfClientCode> {
  if (client.type !== 'self')
    throw new ManagementError('self_client.not_self_client', 'Codes can be generated only for a Self Client.', 400, 'client_id');
  const minutes = input.durationMinutes ?? DEFAULT_SELF_CLIENT_CODE_MINUTES;
  if (!(SELF_CLIENT_CODE_MINUTES as readonly number[]).includes(minutes)) {
    throw new ManagementError(
      'self_client.duration_invalid',
      'The time duration must be a whole number of minutes from 3 to 10.',
      400,
      'duration',
    );
  }
  const description = input.description?.trim() ?? '';
  if (description.length > MAX_DESCRIPTION) {
    throw new ManagementError(
      'self_client.description_invalid',
      `The description must be at most ${MAX_DESCRIPTION} characters.`,
      400,
      'description',
    );
  }
  const scopes = parseScopes(input.scope, deps.scopes);

  const rate = deps.config.limits.codeRate;
  if (rate !== null) {
    const decision = await deps.rateLimiter.reserve([{ key: `code:${client.clientId}`, limit: rate }]);
    if (!decision.allowed) {
      throw new ManagementError(
        'self_client.rate_limited',
        `Too many codes for this client; try again in ${decision.retryAfter} seconds.`,
        429,
      );
    }
  }

  const code = newOpaqueToken();
  const now = deps.now();
  await deps.codes.create({
    id: deps.hasher.storageKey(code),
    clientId: client.clientId,
    // A Self Client always has its owner: registration never makes one.
    userZuid: client.ownerZuid!,
    scopes: formatScopes(scopes),
    redirectUri: null,
    codeChallenge: null,
    codeChallengeMethod: null,
    nonce: null,
    amr: null,
    authTime: null,
    sid: null,
    offline: true,
    kind: 'self',
    description: description === '' ? null : description,
    createdAt: now,
    expiresAt: now + minutes * 60_000,
    consumedAt: null,
    // A Self Client's code acts as its owner, in the client's home DC, which is the owner's (spec §9).
    dc: client.homeDc ?? null,
  });
  return { code, expires_in: minutes * 60, scope: formatScopes(scopes) };
}

function parseScopes(raw: string, registry: ScopeRegistry): Scope[] {
  let scopes: Scope[];
  try {
    scopes = registry.parse(raw);
  } catch (err) {
    if (isOAuthError(err)) throw new ManagementError('self_client.scope_invalid', err.description, 400, 'scope');
    throw err;
  }
  if (scopes.length === 0) throw new ManagementError('self_client.scope_invalid', 'Enter at least one scope.', 400, 'scope');
  return scopes;
}
