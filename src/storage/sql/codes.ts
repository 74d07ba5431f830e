import type { Kysely, Selectable } from 'kysely';
import { dcField, orgField, resourceField } from './data-center-columns.js';
import type { AuthorizationCode, CodeConsumption, CodeRepository } from '../../core/authorize/code-repository.js';
import type { AuthorizationCodesTable, Database } from './schema.js';

export class SqlCodeRepository implements CodeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(code: AuthorizationCode): Promise<void> {
    await this.db
      .insertInto('authorization_codes')
      .values({
        id: code.id,
        client_id: code.clientId,
        user_zuid: code.userZuid,
        scopes: code.scopes,
        redirect_uri: code.redirectUri,
        code_challenge: code.codeChallenge,
        code_challenge_method: code.codeChallengeMethod,
        nonce: code.nonce,
        amr: code.amr,
        sid: code.sid,
        auth_time: code.authTime,
        offline: code.offline ? 1 : 0,
        kind: code.kind,
        description: code.description,
        created_at: code.createdAt,
        expires_at: code.expiresAt,
        consumed_at: code.consumedAt,
        dc: code.dc ?? null,
        resources: code.resources ?? null,
        org_id: code.orgId ?? null,
      })
      .execute();
  }

  async find(id: string): Promise<AuthorizationCode | undefined> {
    const row = await this.db.selectFrom('authorization_codes').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toCode(row);
  }

  async consume(id: string, now: number): Promise<CodeConsumption> {
    // One conditional UPDATE is the single-use guarantee: a concurrent redemption blocks on the row (PostgreSQL) or
    // waits for the connection (SQLite), then finds `consumed_at` set and updates nothing.
    const taken = await this.db
      .updateTable('authorization_codes')
      .set({ consumed_at: now })
      .where('id', '=', id)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    if (taken) return { status: 'ok', code: toCode(taken) };
    const code = await this.find(id);
    if (!code) return { status: 'not_found' };
    return code.consumedAt !== null ? { status: 'already_used', code } : { status: 'expired', code };
  }
}

function toCode(row: Selectable<AuthorizationCodesTable>): AuthorizationCode {
  return {
    id: row.id,
    clientId: row.client_id,
    userZuid: row.user_zuid,
    scopes: row.scopes,
    redirectUri: row.redirect_uri,
    codeChallenge: row.code_challenge,
    codeChallengeMethod: row.code_challenge_method as AuthorizationCode['codeChallengeMethod'],
    nonce: row.nonce,
    amr: row.amr,
    sid: row.sid,
    authTime: row.auth_time === null ? null : Number(row.auth_time),
    offline: row.offline === 1,
    kind: row.kind as AuthorizationCode['kind'],
    description: row.description,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    consumedAt: row.consumed_at === null ? null : Number(row.consumed_at),
    ...dcField(row.dc),
    ...resourceField('resources', row.resources),
    ...orgField(row.org_id),
  };
}
