import type { Kysely, Selectable } from 'kysely';
import type {
  ChallengePurpose,
  Passkey,
  PasskeyChallenge,
  PasskeyChallengeRepository,
  PasskeyRepository,
} from '../../core/mfa/passkey-repository.js';
import type { Database, PasskeysTable } from './schema.js';

export class SqlPasskeyRepository implements PasskeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(passkey: Passkey): Promise<void> {
    await this.db
      .insertInto('passkeys')
      .values({
        credential_id: passkey.credentialId,
        user_zuid: passkey.userZuid,
        public_key: passkey.publicKey,
        counter: passkey.counter,
        transports: passkey.transports.join(','),
        name: passkey.name,
        created_at: passkey.createdAt,
        last_used_at: passkey.lastUsedAt,
      })
      .execute();
  }

  async find(credentialId: string): Promise<Passkey | undefined> {
    const row = await this.db.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
    return row && toPasskey(row);
  }

  async listForUser(userZuid: string): Promise<Passkey[]> {
    const rows = await this.db
      .selectFrom('passkeys')
      .selectAll()
      .where('user_zuid', '=', userZuid)
      .orderBy('created_at')
      .orderBy('credential_id')
      .execute();
    return rows.map(toPasskey);
  }

  async countForUser(userZuid: string): Promise<number> {
    const row = await this.db
      .selectFrom('passkeys')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('user_zuid', '=', userZuid)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async useCounter(credentialId: string, counter: number, now: number): Promise<boolean> {
    // One conditional UPDATE: of two assertions with the same counter, only the first moves it.
    const result = await this.db
      .updateTable('passkeys')
      .set({ counter, last_used_at: now })
      .where('credential_id', '=', credentialId)
      // An authenticator without a counter always sends 0; one with a counter must send more than last time.
      .where('counter', counter === 0 ? '=' : '<', counter)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async remove(userZuid: string, credentialId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('passkeys')
      .where('user_zuid', '=', userZuid)
      .where('credential_id', '=', credentialId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async removeAllForUser(userZuid: string): Promise<number> {
    const result = await this.db.deleteFrom('passkeys').where('user_zuid', '=', userZuid).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toPasskey(row: Selectable<PasskeysTable>): Passkey {
  return {
    credentialId: row.credential_id,
    userZuid: row.user_zuid,
    publicKey: row.public_key,
    counter: Number(row.counter),
    transports: row.transports === '' ? [] : row.transports.split(','),
    name: row.name,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

export class SqlPasskeyChallengeRepository implements PasskeyChallengeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async save(challenge: PasskeyChallenge): Promise<void> {
    await this.db
      .insertInto('passkey_challenges')
      .values({ id: challenge.id, purpose: challenge.purpose, user_zuid: challenge.userZuid, expires_at: challenge.expiresAt })
      .execute();
  }

  async consume(id: string, now: number): Promise<PasskeyChallenge | undefined> {
    // DELETE … RETURNING is the single-use guarantee: a concurrent consume finds no row left to delete.
    const row = await this.db.deleteFrom('passkey_challenges').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row || Number(row.expires_at) <= now) return undefined;
    return { id: row.id, purpose: row.purpose as ChallengePurpose, userZuid: row.user_zuid, expiresAt: Number(row.expires_at) };
  }

  async deleteExpired(before: number): Promise<number> {
    const result = await this.db.deleteFrom('passkey_challenges').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
