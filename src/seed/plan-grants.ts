import { anyCovers, formatScopes, type Scope } from '@gatehouse/resource-server';
import type { Client } from '../core/clients/client.js';
import { isOAuthError } from '../core/errors/oauth-error.js';
import { grantedScopes } from '../core/grants/granted-scopes.js';
import { refreshPairLock } from '../core/tokens/token-issuer.js';
import type { SeedConsent, SeedRefreshToken } from './seed-file.js';
import { entriesOf, SEED_ACTOR, type SeedPlan } from './seed-plan.js';

/**
 * Refresh tokens the file fixes, so a CI job skips the code step: stored as any refresh token is (under the keyed hash
 * a presented one is looked up by), and counted toward the refresh tokens a (user, client) pair may hold.
 */
export async function planRefreshTokens(entries: ReadonlyArray<SeedRefreshToken | undefined>, plan: SeedPlan): Promise<void> {
  const perPair = new Map<string, number>();
  const limit = plan.gatehouse.config.limits.refreshTokens;
  for (const { entry, path } of entriesOf('refresh_tokens', entries, { field: 'token', of: (t) => t.token }, plan)) {
    const client = await plan.client(entry.client_id, `${path}.client_id`);
    const scopes = parseScopes(entry.scope, `${path}.scope`, plan);
    const userZuid = entry.user === undefined ? (client?.ownerZuid ?? undefined) : await plan.userZuid(entry.user, `${path}.user`);
    if (!client || !scopes || userZuid === undefined) continue;
    if (client.type === 'self' && userZuid !== client.ownerZuid) {
      plan.problem(`${path}.user`, "a Self Client's tokens act for its owner only");
      continue;
    }
    const pair = `${userZuid} ${client.clientId}`;
    perPair.set(pair, (perPair.get(pair) ?? 0) + 1);
    if (limit !== null && perPair.get(pair)! > limit) {
      plan.problem(path, `more than ${limit} refresh tokens for one user and client (GATEHOUSE_LIMIT_REFRESH_TOKENS)`);
      continue;
    }
    await planRefreshToken(entry.token, client, userZuid, formatScopes(scopes), plan);
  }
}

async function planRefreshToken(token: string, client: Client, userZuid: string, scopes: string, plan: SeedPlan): Promise<void> {
  const { hasher, config, audit, now } = plan.gatehouse;
  // The first key a presented token is looked up under: where the token endpoint will find it.
  const id = hasher.presentedKeys(token)[0]!;
  const existing = await plan.gatehouse.storage.tokens.findRefreshToken(id);
  if (existing && existing.clientId === client.clientId && existing.userZuid === userZuid && existing.scopes === scopes)
    return plan.add({ kind: 'refresh_tokens', outcome: 'unchanged' });
  const limit = config.limits.refreshTokens;
  plan.add({
    kind: 'refresh_tokens',
    outcome: existing ? 'updated' : 'created',
    async write(tx) {
      // A refresh token's grant cannot be edited: one that changed is replaced, its access tokens with it.
      if (existing) await tx.tokens.revokeRefreshToken(id);
      if (limit !== null) await tx.lock(refreshPairLock({ userZuid }, client.clientId));
      // Unbound: a fixed token is for a CI job's configuration, which holds no DPoP key.
      await tx.tokens.createRefreshToken({
        id,
        clientId: client.clientId,
        userZuid,
        scopes,
        originCodeId: null,
        createdAt: now(),
        jkt: null,
      });
      if (limit !== null) await tx.tokens.evictRefreshTokens({ userZuid }, client.clientId, limit);
      await audit.appendIn(tx.auditEvents, SEED_ACTOR, { type: 'grant.seeded', userZuid, clientId: client.clientId, subject: scopes });
    },
  });
}

/** Consents recorded ahead, so a browser test skips the consent page: a user's grant of scopes to a client. */
export async function planConsents(entries: ReadonlyArray<SeedConsent | undefined>, plan: SeedPlan): Promise<void> {
  for (const { entry, path } of entriesOf('consents', entries, { of: (c) => `${c.user.trim().toLowerCase()} ${c.client_id}` }, plan)) {
    const userZuid = await plan.userZuid(entry.user, `${path}.user`);
    const client = await plan.client(entry.client_id, `${path}.client_id`);
    const scopes = parseScopes(entry.scope, `${path}.scope`, plan);
    if (client?.type === 'self') plan.problem(`${path}.client_id`, 'a Self Client never asks for consent');
    if (userZuid === undefined || !client || client.type === 'self' || !scopes) continue;
    const { scopes: registry, audit, now } = plan.gatehouse;
    const existing = await plan.gatehouse.storage.consents.find(userZuid, client.clientId);
    const granted = existing ? grantedScopes(existing.scopes, registry) : [];
    if (existing && scopes.every((s) => anyCovers(granted, s))) {
      plan.add({ kind: 'consents', outcome: 'unchanged' });
      continue;
    }
    const scope = formatScopes(scopes);
    plan.add({
      kind: 'consents',
      outcome: existing ? 'updated' : 'created',
      async write(tx) {
        await tx.consents.grant(userZuid, client.clientId, scope, now());
        await audit.appendIn(tx.auditEvents, SEED_ACTOR, { type: 'consent.granted', userZuid, clientId: client.clientId, subject: scope });
      },
    });
  }
}

/** Scopes as the token endpoint reads them (comma or space separated, known to the registry, at least one). */
function parseScopes(raw: string, path: string, plan: SeedPlan): Scope[] | undefined {
  try {
    const scopes = plan.gatehouse.scopes.parse(raw);
    if (scopes.length > 0) return scopes;
    plan.problem(path, 'must name at least one scope');
  } catch (err) {
    if (!isOAuthError(err)) throw err;
    plan.problem(path, err.description);
  }
  return undefined;
}
