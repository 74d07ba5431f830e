import type { Kysely } from 'kysely';
import type { SettingsRepository } from '../../core/tokens/settings-repository.js';
import type { Database } from './schema.js';

export class SqlSettingsRepository implements SettingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async getOrCreate(key: string, value: string): Promise<string> {
    // ON CONFLICT DO NOTHING lets two nodes starting at once agree on the first value written.
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return (await this.get(key))!;
  }
}
