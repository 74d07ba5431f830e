import { sql, type Kysely } from 'kysely';
import type { FactorRepository, RecoveryCodeSummary, TotpFactor } from '../../core/mfa/factor-repository.js';
import type { Database } from './schema.js';

export class SqlFactorRepository implements FactorRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findTotp(userZuid: string): Promise<TotpFactor | undefined> {
    const row = await this.db.selectFrom('mfa_totp').selectAll().where('user_zuid', '=', userZuid).executeTakeFirst();
    return (
      row && {
        userZuid: row.user_zuid,
        sealedSecret: row.secret,
        createdAt: Number(row.created_at),
        lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
        lastStep: Number(row.last_step),
      }
    );
  }

  async saveTotp(factor: TotpFactor): Promise<void> {
    const values = {
      secret: factor.sealedSecret,
      created_at: factor.createdAt,
      last_used_at: factor.lastUsedAt,
      last_step: factor.lastStep,
    };
    await this.db
      .insertInto('mfa_totp')
      .values({ user_zuid: factor.userZuid, ...values })
      .onConflict((oc) => oc.column('user_zuid').doUpdateSet(values))
      .execute();
  }

  async useTotpStep(userZuid: string, step: number, now: number): Promise<boolean> {
    // One conditional UPDATE: two requests with the same code cannot both see the old step.
    const result = await this.db
      .updateTable('mfa_totp')
      .set({ last_step: step, last_used_at: now })
      .where('user_zuid', '=', userZuid)
      .where('last_step', '<', step)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async replaceRecoveryCodes(userZuid: string, codeHashes: readonly string[], now: number): Promise<void> {
    await this.db.deleteFrom('mfa_recovery_codes').where('user_zuid', '=', userZuid).execute();
    if (codeHashes.length === 0) return;
    await this.db
      .insertInto('mfa_recovery_codes')
      .values(codeHashes.map((code_hash) => ({ user_zuid: userZuid, code_hash, created_at: now, used_at: null })))
      .execute();
  }

  async useRecoveryCode(userZuid: string, codeHash: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('mfa_recovery_codes')
      .set({ used_at: now })
      .where('user_zuid', '=', userZuid)
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async recoveryCodes(userZuid: string): Promise<RecoveryCodeSummary> {
    const row = await this.db
      .selectFrom('mfa_recovery_codes')
      .select([sql<number>`count(*) filter (where used_at is null)`.as('left'), (eb) => eb.fn.min('created_at').as('created_at')])
      .where('user_zuid', '=', userZuid)
      .executeTakeFirstOrThrow();
    return { left: Number(row.left), createdAt: row.created_at === null ? null : Number(row.created_at) };
  }

  async deleteAll(userZuid: string): Promise<number> {
    await this.db.deleteFrom('mfa_recovery_codes').where('user_zuid', '=', userZuid).execute();
    const result = await this.db.deleteFrom('mfa_totp').where('user_zuid', '=', userZuid).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
