import { setTimeout as sleep } from 'node:timers/promises';
import { dcField, orgField, resourceField } from './data-center-columns.js';
import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import { ClientGoneError } from '../../core/errors/client-gone-error.js';
import type {
  AccessToken,
  GrantHolder,
  GrantSignIn,
  GrantSummary,
  RefreshToken,
  ScopeEnhancementToken,
  TokenRepository,
} from '../../core/tokens/token-repository.js';
import { foreignKeyViolation } from './errors.js';
import type { HotQueries } from './hot-queries.js';
import type { AccessTokensTable, Database, RefreshTokensTable } from './schema.js';

export class SqlTokenRepository implements TokenRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly hot: HotQueries,
    /** How the store itself (not a transaction) writes, as its dialect does it best; absent in a transaction. */
    private readonly own?: OwnWrites,
  ) {}

  async createRefreshToken(t: RefreshToken): Promise<void> {
    await this.db
      .insertInto('refresh_tokens')
      .values({
        id: t.id,
        client_id: t.clientId,
        user_zuid: t.userZuid,
        scopes: t.scopes,
        origin_code_id: t.originCodeId,
        jkt: t.jkt,
        created_at: t.createdAt,
        dc: t.dc ?? null,
        resources: t.resources ?? null,
        org_id: t.orgId ?? null,
        amr: t.signIn?.amr ?? null,
        auth_time: t.signIn?.authTime ?? null,
        sid: t.signIn?.sid ?? null,
      })
      .execute();
  }

  async findRefreshToken(id: string): Promise<RefreshToken | undefined> {
    return this.hot.cached.refreshTokens.read(id, async () => {
      const [row] = (await this.hot.findRefreshToken.execute(this.db, id)).rows;
      return row && toRefreshToken(row);
    });
  }

  createAccessToken(t: AccessToken): Promise<boolean> {
    return this.own ? this.own.storeAccessToken(t) : this.insertAccessToken(t);
  }

  /** One token, one statement. */
  async insertAccessToken(t: AccessToken): Promise<boolean> {
    try {
      const result = await this.hot.insertAccessToken.execute(
        this.db,
        t.id,
        t.clientId,
        t.userZuid,
        t.scopes,
        t.refreshTokenId,
        t.originCodeId,
        t.jkt,
        t.createdAt,
        t.expiresAt,
        t.dc ?? null,
        t.audience ?? null,
        t.orgId ?? null,
      );
      return Number(result.numAffectedRows ?? 0) > 0;
    } catch (err) {
      if (await this.namesGoneClient(err, t.clientId)) throw new ClientGoneError(t.clientId);
      throw err;
    }
  }

  /** Whether a failed insert failed because its client is gone; only the failure path pays for finding out. */
  private async namesGoneClient(err: unknown, clientId: string): Promise<boolean> {
    const constraint = foreignKeyViolation(err);
    if (constraint === undefined) return false;
    // PostgreSQL names the key, and a failed statement aborts its transaction, so no query could ask anyway.
    if (constraint !== '') return constraint === 'access_tokens_client_id_fkey';
    // SQLite does not name it; its transaction survives a failed statement, so ask.
    const row = await this.db.selectFrom('clients').select('client_id').where('client_id', '=', clientId).executeTakeFirst();
    return row === undefined;
  }

  async findAccessToken(id: string): Promise<AccessToken | undefined> {
    return this.hot.cached.accessTokens.read(id, async () => {
      const [row] = (await this.hot.findAccessToken.execute(this.db, id)).rows;
      return row && toAccessToken(row);
    });
  }

  peekAccessToken(id: string): AccessToken | undefined {
    return this.hot.cached.accessTokens.peek(id);
  }

  async evictRefreshTokens(holder: GrantHolder, clientId: string, keep: number): Promise<number> {
    // SQLite takes OFFSET only after LIMIT, so read the short list (at most limit + 1 rows) and cut it here.
    const rows = await this.db
      .selectFrom('refresh_tokens')
      .select('id')
      .where(heldBy(holder))
      .where('client_id', '=', clientId)
      .orderBy('seq', 'desc')
      .execute();
    const doomed = rows.slice(keep).map((r) => r.id);
    if (doomed.length === 0) return 0;
    await this.db.deleteFrom('access_tokens').where('refresh_token_id', 'in', doomed).execute();
    await this.db.deleteFrom('refresh_tokens').where('id', 'in', doomed).execute();
    return doomed.length;
  }

  async evictAccessTokens(refreshTokenId: string, keep: number): Promise<number> {
    const rows = await this.db
      .selectFrom('access_tokens')
      .select('seq')
      .where('refresh_token_id', '=', refreshTokenId)
      .orderBy('seq', 'desc')
      .execute();
    const doomed = rows.slice(keep).map((r) => r.seq);
    if (doomed.length === 0) return 0;
    await this.db.deleteFrom('access_tokens').where('seq', 'in', doomed).execute();
    return doomed.length;
  }

  async revokeRefreshToken(id: string): Promise<boolean> {
    await this.db.deleteFrom('access_tokens').where('refresh_token_id', '=', id).execute();
    return deleted(await this.db.deleteFrom('refresh_tokens').where('id', '=', id).executeTakeFirst()) > 0;
  }

  async revokeAccessToken(id: string): Promise<boolean> {
    return deleted(await this.db.deleteFrom('access_tokens').where('id', '=', id).executeTakeFirst()) > 0;
  }

  async revokeIssuedFromCode(codeId: string): Promise<number> {
    const refreshIds = (await this.db.selectFrom('refresh_tokens').select('id').where('origin_code_id', '=', codeId).execute()).map(
      (r) => r.id,
    );
    let count = 0;
    if (refreshIds.length > 0) {
      count += deleted(await this.db.deleteFrom('access_tokens').where('refresh_token_id', 'in', refreshIds).executeTakeFirst());
    }
    count += deleted(await this.db.deleteFrom('access_tokens').where('origin_code_id', '=', codeId).executeTakeFirst());
    count += deleted(await this.db.deleteFrom('refresh_tokens').where('origin_code_id', '=', codeId).executeTakeFirst());
    return count;
  }

  async revokeGrant(holder: GrantHolder, clientId: string): Promise<number> {
    const access = await this.db.deleteFrom('access_tokens').where(heldBy(holder)).where('client_id', '=', clientId).executeTakeFirst();
    const refresh = await this.db.deleteFrom('refresh_tokens').where(heldBy(holder)).where('client_id', '=', clientId).executeTakeFirst();
    return deleted(access) + deleted(refresh);
  }

  async revokeAllForUser(userZuid: string): Promise<number> {
    const access = await this.db.deleteFrom('access_tokens').where('user_zuid', '=', userZuid).executeTakeFirst();
    const refresh = await this.db.deleteFrom('refresh_tokens').where('user_zuid', '=', userZuid).executeTakeFirst();
    const codes = await this.db.deleteFrom('authorization_codes').where('user_zuid', '=', userZuid).executeTakeFirst();
    return deleted(access) + deleted(refresh) + deleted(codes);
  }

  async listGrants(holder: GrantHolder): Promise<GrantSummary[]> {
    const rows = await this.db
      .selectFrom('refresh_tokens')
      .select(['client_id', 'scopes', 'created_at'])
      .where(heldBy(holder))
      .orderBy('seq')
      .execute();
    const byClient = new Map<string, GrantSummary & { scopeSet: Set<string> }>();
    for (const row of rows) {
      const at = Number(row.created_at);
      let grant = byClient.get(row.client_id);
      if (!grant) {
        grant = {
          clientId: row.client_id,
          holder,
          scopes: '',
          refreshTokens: 0,
          firstGrantedAt: at,
          lastGrantedAt: at,
          scopeSet: new Set(),
        };
        byClient.set(row.client_id, grant);
      }
      grant.refreshTokens++;
      grant.lastGrantedAt = at;
      for (const s of row.scopes.split(' ')) grant.scopeSet.add(s);
    }
    return [...byClient.values()].map(({ scopeSet, ...g }) => ({ ...g, scopes: [...scopeSet].join(' ') }));
  }

  async setRefreshTokenScopes(id: string, scopes: string): Promise<boolean> {
    return updated(await this.db.updateTable('refresh_tokens').set({ scopes }).where('id', '=', id).executeTakeFirst()) > 0;
  }

  async createScopeEnhancementToken(t: ScopeEnhancementToken): Promise<void> {
    await this.db
      .insertInto('scope_enhancement_tokens')
      .values({ id: t.id, client_id: t.clientId, refresh_token_id: t.refreshTokenId, created_at: t.createdAt, expires_at: t.expiresAt })
      .execute();
  }

  async findScopeEnhancementToken(id: string): Promise<ScopeEnhancementToken | undefined> {
    const row = await this.db.selectFrom('scope_enhancement_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return (
      row && {
        id: row.id,
        clientId: row.client_id,
        refreshTokenId: row.refresh_token_id,
        createdAt: Number(row.created_at),
        expiresAt: Number(row.expires_at),
      }
    );
  }

  async consumeScopeEnhancementToken(id: string, now: number): Promise<boolean> {
    // One conditional DELETE decides which of several concurrent uses counts.
    const result = await this.db
      .deleteFrom('scope_enhancement_tokens')
      .where('id', '=', id)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return deleted(result) > 0;
  }

  async purgeExpired(before: number): Promise<number> {
    // Few and short-lived (ten minutes), so one statement, ahead of the access tokens and codes.
    const enhancements = deleted(await this.db.deleteFrom('scope_enhancement_tokens').where('expires_at', '<', before).executeTakeFirst());
    const batch = this.own?.purgeBatchRows;
    if (batch === undefined) {
      const access = await this.db.deleteFrom('access_tokens').where('expires_at', '<', before).executeTakeFirst();
      const codes = await this.db.deleteFrom('authorization_codes').where('expires_at', '<', before).executeTakeFirst();
      return enhancements + deleted(access) + deleted(codes);
    }
    for (let total = enhancements; ;) {
      const started = performance.now();
      const access = await this.db
        .deleteFrom('access_tokens')
        .where('seq', 'in', (eb) => eb.selectFrom('access_tokens').select('seq').where('expires_at', '<', before).limit(batch))
        .executeTakeFirst();
      const codes = await this.db
        .deleteFrom('authorization_codes')
        .where('id', 'in', (eb) => eb.selectFrom('authorization_codes').select('id').where('expires_at', '<', before).limit(batch))
        .executeTakeFirst();
      total += deleted(access) + deleted(codes);
      if (deleted(access) < batch && deleted(codes) < batch) return total;
      // A pause as long as the batch took: requests that arrived meanwhile reach the store before the next batch, and
      // a sweep takes about half of the server's time at most, however much it deletes.
      await sleep(performance.now() - started);
    }
  }
}

/** How a store writes outside a transaction, as its dialect does it best. */
export interface OwnWrites {
  /** Stores an access token sharing its commit with the concurrent ones (`TokenRepository.createAccessToken`). */
  storeAccessToken(token: AccessToken): Promise<boolean>;
  /** Rows a purge deletes per statement, pausing between statements; undefined: one statement per table. */
  purgeBatchRows: number | undefined;
}

/**
 * The rows of a holder's grants: an organisation's, or a user's own, which never include the org-wide grants the user
 * authorised (those belong to the organisation, and outlive the user's membership).
 */
function heldBy(holder: GrantHolder) {
  return (eb: ExpressionBuilder<Database, 'refresh_tokens' | 'access_tokens'>) =>
    'orgId' in holder
      ? eb(sql.ref('org_id'), '=', holder.orgId)
      : eb.and([eb(sql.ref('user_zuid'), '=', holder.userZuid), eb(sql.ref('org_id'), 'is', null)]);
}

const deleted = (result: { numDeletedRows: bigint }): number => Number(result.numDeletedRows);
const updated = (result: { numUpdatedRows: bigint }): number => Number(result.numUpdatedRows);

function toRefreshToken(row: Selectable<RefreshTokensTable>): RefreshToken {
  return {
    id: row.id,
    clientId: row.client_id,
    userZuid: row.user_zuid,
    scopes: row.scopes,
    originCodeId: row.origin_code_id,
    jkt: row.jkt,
    createdAt: Number(row.created_at),
    ...dcField(row.dc),
    ...resourceField('resources', row.resources),
    ...orgField(row.org_id),
    ...signInField(row),
  };
}

/** 0026's columns: all null (no browser sign-in, or a row from before) is an absent field. */
function signInField(row: Pick<Selectable<RefreshTokensTable>, 'amr' | 'auth_time' | 'sid'>): { signIn?: GrantSignIn } {
  if (row.amr === null && row.auth_time === null && row.sid === null) return {};
  return { signIn: { amr: row.amr, authTime: row.auth_time === null ? null : Number(row.auth_time), sid: row.sid } };
}

function toAccessToken(row: Selectable<AccessTokensTable>): AccessToken {
  return {
    id: row.id,
    clientId: row.client_id,
    userZuid: row.user_zuid,
    scopes: row.scopes,
    refreshTokenId: row.refresh_token_id,
    originCodeId: row.origin_code_id,
    jkt: row.jkt,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    ...dcField(row.dc),
    ...resourceField('audience', row.audience),
    ...orgField(row.org_id),
  };
}
