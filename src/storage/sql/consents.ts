import type { Kysely, Selectable } from 'kysely';
import type { Consent, ConsentRepository } from '../../core/authorize/consent-repository.js';
import type { ConsentsTable, Database } from './schema.js';

export class SqlConsentRepository implements ConsentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(userZuid: string, clientId: string): Promise<Consent | undefined> {
    const row = await this.db
      .selectFrom('consents')
      .selectAll()
      .where('user_zuid', '=', userZuid)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row && (await this.withScopes([row]))[0];
  }

  async grant(userZuid: string, clientId: string, scopes: string, now: number): Promise<void> {
    await this.db
      .insertInto('consents')
      .values({ user_zuid: userZuid, client_id: clientId, first_granted_at: now, last_granted_at: now })
      .onConflict((oc) => oc.columns(['user_zuid', 'client_id']).doUpdateSet({ last_granted_at: now }))
      .execute();
    const rows = [...new Set(scopes.split(' ').filter((s) => s !== ''))].map((scope) => ({
      user_zuid: userZuid,
      client_id: clientId,
      scope,
    }));
    if (rows.length === 0) return;
    await this.db
      .insertInto('consent_scopes')
      .values(rows)
      .onConflict((oc) => oc.columns(['user_zuid', 'client_id', 'scope']).doNothing())
      .execute();
  }

  async listForUser(userZuid: string): Promise<Consent[]> {
    const rows = await this.db
      .selectFrom('consents')
      .selectAll()
      .where('user_zuid', '=', userZuid)
      .orderBy('last_granted_at', 'desc')
      .execute();
    return this.withScopes(rows);
  }

  async listForClient(clientId: string): Promise<Consent[]> {
    const rows = await this.db
      .selectFrom('consents')
      .selectAll()
      .where('client_id', '=', clientId)
      .orderBy('last_granted_at', 'desc')
      .execute();
    return this.withScopes(rows);
  }

  async revoke(userZuid: string, clientId: string): Promise<boolean> {
    // The scopes go by cascade.
    const result = await this.db
      .deleteFrom('consents')
      .where('user_zuid', '=', userZuid)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Attaches each consent's scopes (one query for all), sorted in JavaScript so both dialects agree on the order. */
  private async withScopes(rows: Selectable<ConsentsTable>[]): Promise<Consent[]> {
    if (rows.length === 0) return [];
    const scopes = await this.db
      .selectFrom('consent_scopes')
      .select(['user_zuid', 'client_id', 'scope'])
      .where('user_zuid', 'in', [...new Set(rows.map((r) => r.user_zuid))])
      .where('client_id', 'in', [...new Set(rows.map((r) => r.client_id))])
      .execute();
    return rows.map((row) => ({
      userZuid: row.user_zuid,
      clientId: row.client_id,
      scopes: scopes
        .filter((s) => s.user_zuid === row.user_zuid && s.client_id === row.client_id)
        .map((s) => s.scope)
        .sort()
        .join(' '),
      firstGrantedAt: Number(row.first_granted_at),
      lastGrantedAt: Number(row.last_granted_at),
    }));
  }
}
