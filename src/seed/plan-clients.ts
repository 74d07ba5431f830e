import { aboutClient } from '../core/audit/audit-log.js';
import { hasSecret, registeredAuthMethod, type Client } from '../core/clients/client.js';
import { checkJsDomain, checkRedirectUri, validateClientFields, type ValidClientFields } from '../core/clients/validate-client.js';
import { FieldErrors, ManagementError } from '../core/errors/management-error.js';
import type { SeedClient } from './seed-file.js';
import { entriesOf, SEED_ACTOR, type SeedPlan } from './seed-plan.js';

/**
 * Clients with the `client_id` and `client_secret` the file fixes, so a CI job's configuration never changes. The
 * secret is stored as registering a client stores it (its keyed hash); an existing client keeps its ID, owner and type,
 * and gets the file's fields and secret.
 */
export async function planClients(entries: ReadonlyArray<SeedClient | undefined>, plan: SeedPlan): Promise<void> {
  const selfClientOwners = new Map<string, number>();
  for (const { entry, i, path } of entriesOf('clients', entries, { field: 'client_id', of: (c) => c.client_id }, plan)) {
    const before = plan.problems.length;
    const ownerZuid = await plan.userZuid(entry.owner, `${path}.owner`);
    checkSecret(entry, path, plan);
    const fields = checkFields(entry, path, plan);
    const existing = await plan.gatehouse.storage.clients.find(entry.client_id);
    if (existing) checkUnmovable(existing, entry, ownerZuid, path, plan);
    if (entry.type === 'self' && ownerZuid !== undefined) await checkOneSelfClient(entry, ownerZuid, i, selfClientOwners, plan);
    if (plan.problems.length > before || !fields || ownerZuid === undefined) {
      plan.declareInvalid(entry.client_id);
      continue;
    }

    const now = plan.gatehouse.now();
    const secretHash = entry.client_secret === undefined ? null : plan.gatehouse.hasher.hash(entry.client_secret);
    // A client_secret_jwt client keeps its secret sealed as well (see registerClient); every other, the hash only.
    const sealedSecret =
      fields.tokenEndpointAuthMethod === 'client_secret_jwt' && entry.client_secret !== undefined
        ? await plan.gatehouse.clientSecretSeal.seal(entry.client_secret, entry.client_id)
        : null;
    const client: Client = existing
      ? { ...existing, ...fields, ...logoutFieldsOf(existing), secretHash, sealedSecret, updatedAt: now }
      : { clientId: entry.client_id, ownerZuid, type: entry.type, ...fields, secretHash, sealedSecret, createdAt: now, updatedAt: now };
    plan.declareClient(client);
    if (!existing) {
      plan.add({
        kind: 'clients',
        outcome: 'created',
        async write(tx) {
          await tx.clients.create(client);
          await plan.gatehouse.audit.appendIn(tx.auditEvents, SEED_ACTOR, aboutClient('client.created', client));
        },
      });
      continue;
    }
    planUpdate(existing, client, entry.client_secret, plan);
  }
}

function planUpdate(existing: Client, client: Client, secret: string | undefined, plan: SeedPlan): void {
  const fieldsChanged = JSON.stringify(fieldsOf(existing)) !== JSON.stringify(fieldsOf(client));
  // Becoming a client_secret_jwt client needs the sealed copy written, as a new secret would.
  const sealNeeded = client.sealedSecret !== null && !existing.sealedSecret;
  const secretChanged =
    sealNeeded || (secret !== undefined && (existing.secretHash === null || !plan.gatehouse.hasher.matches(secret, existing.secretHash)));
  if (!fieldsChanged && !secretChanged) return plan.add({ kind: 'clients', outcome: 'unchanged' });
  const { audit, now } = plan.gatehouse;
  plan.add({
    kind: 'clients',
    outcome: 'updated',
    async write(tx) {
      if (fieldsChanged) {
        await tx.clients.updateFields(client.clientId, fieldsOf(client), now());
        await audit.appendIn(tx.auditEvents, SEED_ACTOR, aboutClient('client.updated', client));
      }
      if (secretChanged) {
        await tx.clients.updateSecretHash(client.clientId, client.secretHash!, now(), client.sealedSecret ?? null);
        await audit.appendIn(tx.auditEvents, SEED_ACTOR, aboutClient('client.secret.rotated', client));
      }
    },
  });
}

function fieldsOf(client: Client): ValidClientFields {
  return {
    name: client.name,
    homepage: client.homepage,
    redirectUris: client.redirectUris,
    jsDomains: client.jsDomains,
    dpopBoundAccessTokens: client.dpopBoundAccessTokens,
    accessTokenFormat: client.accessTokenFormat,
    idTokenSignedResponseAlg: client.idTokenSignedResponseAlg,
    userinfoSignedResponseAlg: client.userinfoSignedResponseAlg,
    requirePushedAuthorizationRequests: client.requirePushedAuthorizationRequests,
    ...logoutFieldsOf(client),
    tokenEndpointAuthMethod: registeredAuthMethod(client),
    jwks: client.jwks ?? null,
    jwksUri: client.jwksUri ?? null,
    requireSignedRequestObject: client.requireSignedRequestObject ?? false,
  };
}

/**
 * A seed file declares no logout fields (registered in the console, `/api/v1` or the CLI): a client the file updates
 * keeps the ones it has, and one it creates has none.
 */
function logoutFieldsOf(
  client: Client,
): Pick<ValidClientFields, 'postLogoutRedirectUris' | 'backchannelLogoutUri' | 'backchannelLogoutSessionRequired'> {
  return {
    postLogoutRedirectUris: client.postLogoutRedirectUris,
    backchannelLogoutUri: client.backchannelLogoutUri,
    backchannelLogoutSessionRequired: client.backchannelLogoutSessionRequired,
  };
}

/** Types that authenticate with a secret must be given one (so it is fixed); client-based apps have none. */
function checkSecret(entry: SeedClient, path: string, plan: SeedPlan): void {
  const needed = hasSecret(entry.type);
  if (needed && entry.client_secret === undefined) plan.problem(`${path}.client_secret`, `is required for a ${entry.type} client`);
  if (!needed && entry.client_secret !== undefined)
    plan.problem(`${path}.client_secret`, 'must not be given: a client-based application has no secret');
}

/**
 * The checks registering a client makes, for its type. When a list is wrong, its items are checked one by one, so
 * each problem names its index (`redirect_uris[1]`).
 */
function checkFields(entry: SeedClient, path: string, plan: SeedPlan): ValidClientFields | undefined {
  try {
    return validateClientFields(entry.type, {
      name: entry.name,
      homepage: entry.homepage,
      redirectUris: entry.redirect_uris,
      jsDomains: entry.js_domains,
      dpopBoundAccessTokens: entry.dpop_bound_access_tokens,
      tokenEndpointAuthMethod: entry.token_endpoint_auth_method,
      jwks: entry.jwks,
      jwksUri: entry.jwks_uri,
      requireSignedRequestObject: entry.require_signed_request_object,
      accessTokenFormat: entry.access_token_format,
      idTokenSignedResponseAlg: entry.id_token_signed_response_alg,
      userinfoSignedResponseAlg: entry.userinfo_signed_response_alg,
      requirePushedAuthorizationRequests: entry.require_pushed_authorization_requests,
    });
  } catch (err) {
    if (!(err instanceof ManagementError)) throw err;
    const lists: Record<string, { code: string; items: readonly string[] | undefined; check: (item: string) => void }> = {
      redirect_uris: { code: 'client.redirect_uri_invalid', items: entry.redirect_uris, check: (uri) => checkRedirectUri(entry.type, uri) },
      js_domains: { code: 'client.js_domain_invalid', items: entry.js_domains, check: checkJsDomain },
    };
    for (const e of err instanceof FieldErrors ? err.errors : [err]) {
      const list = e.field === undefined ? undefined : lists[e.field];
      if (list?.code === e.code && eachItem(list.items, `${path}.${e.field}`, list.check, plan)) continue;
      plan.problemsFrom(path, [e]);
    }
    return undefined;
  }
}

/** Runs `check` on each item, reporting each failure at the item's index; whether any failed. */
function eachItem(items: readonly string[] | undefined, path: string, check: (item: string) => void, plan: SeedPlan): boolean {
  let failed = false;
  items?.forEach((item, j) => {
    try {
      check(item.trim());
    } catch (err) {
      if (!(err instanceof ManagementError)) throw err;
      plan.problem(`${path}[${j}]`, err.message);
      failed = true;
    }
  });
  return failed;
}

/** A client's ID, owner and type are what its tokens and the owner's console rely on: the file cannot move them. */
function checkUnmovable(existing: Client, entry: SeedClient, ownerZuid: string | undefined, path: string, plan: SeedPlan): void {
  if (existing.type !== entry.type)
    plan.problem(`${path}.type`, `the client exists as a ${existing.type} client; a seed file cannot change a client's type`);
  if (ownerZuid !== undefined && existing.ownerZuid !== ownerZuid)
    plan.problem(`${path}.owner`, 'the client exists with another owner; a seed file cannot move a client');
}

/** A user has at most one Self Client (spec §1.1): in the file, and beside the ones the database holds. */
async function checkOneSelfClient(
  entry: SeedClient,
  ownerZuid: string,
  i: number,
  seen: Map<string, number>,
  plan: SeedPlan,
): Promise<void> {
  const earlier = seen.get(ownerZuid);
  if (earlier !== undefined) return plan.problem(`$.clients[${i}].owner`, `already owns the Self Client at $.clients[${earlier}]`);
  seen.set(ownerZuid, i);
  const other = (await plan.gatehouse.storage.clients.listByOwner(ownerZuid)).find(
    (c) => c.type === 'self' && c.clientId !== entry.client_id,
  );
  if (other) plan.problem(`$.clients[${i}].owner`, `already owns the Self Client ${other.clientId}; a user has at most one`);
}
