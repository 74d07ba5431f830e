import type { Kysely } from 'kysely';
import type { SigningKey, SigningKeyRepository } from '../../core/oidc/signing-key-repository.js';
import type { Database } from './schema.js';

export class SqlSigningKeyRepository implements SigningKeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(key: SigningKey): Promise<void> {
    await this.db
      .insertInto('signing_keys')
      .values({
        kid: key.kid,
        algorithm: key.algorithm,
        private_key: key.privateKey,
        public_jwk: key.publicJwk,
        created_at: key.createdAt,
        retired_at: key.retiredAt,
      })
      .execute();
  }

  async listActive(): Promise<SigningKey[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('kid')
      .execute();
    return rows.map((row) => ({
      kid: row.kid,
      algorithm: row.algorithm as SigningKey['algorithm'],
      privateKey: row.private_key,
      publicJwk: row.public_jwk,
      createdAt: Number(row.created_at),
      retiredAt: row.retired_at === null ? null : Number(row.retired_at),
    }));
  }

  async replacePrivateKey(kid: string, current: string, replacement: string): Promise<boolean> {
    const result = await this.db
      .updateTable('signing_keys')
      .set({ private_key: replacement })
      .where('kid', '=', kid)
      .where('private_key', '=', current)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async retire(kid: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('signing_keys')
      .set({ retired_at: now })
      .where('kid', '=', kid)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
