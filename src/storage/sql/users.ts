import type { Kysely, Selectable } from 'kysely';
import { dcField } from './data-center-columns.js';
import type { User } from '../../core/users/user.js';
import { DuplicateError } from '../../core/errors/duplicate-error.js';
import type { UserRepository } from '../../core/users/user-repository.js';
import { countRows } from './count-rows.js';
import { uniqueViolation } from './errors.js';
import type { HotQueries } from './hot-queries.js';
import type { Database, UsersTable } from './schema.js';

export class SqlUserRepository implements UserRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly hot: HotQueries,
  ) {}

  async create(user: User): Promise<void> {
    try {
      await this.db
        .insertInto('users')
        .values({
          zuid: user.zuid,
          email: user.email.toLowerCase(),
          password_hash: user.passwordHash,
          first_name: user.firstName,
          last_name: user.lastName,
          display_name: user.displayName,
          is_admin: user.isAdmin ? 1 : 0,
          must_change_password: user.mustChangePassword ? 1 : 0,
          disabled: user.disabled ? 1 : 0,
          created_at: user.createdAt,
          dc: user.dc ?? null,
        })
        .execute();
    } catch (err) {
      const constraint = uniqueViolation(err);
      if (constraint !== undefined) throw new DuplicateError(constraint.includes('email') ? 'email' : 'id');
      throw err;
    }
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    return row && toUser(row);
  }

  async findByZuid(zuid: string): Promise<User | undefined> {
    return this.hot.cached.users.read(zuid, async () => {
      const [row] = (await this.hot.findUser.execute(this.db, zuid)).rows;
      return row && toUser(row);
    });
  }

  async updatePassword(zuid: string, passwordHash: string, mustChangePassword: boolean): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, must_change_password: mustChangePassword ? 1 : 0 })
      .where('zuid', '=', zuid)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async setDisabled(zuid: string, disabled: boolean): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ disabled: disabled ? 1 : 0 })
      .where('zuid', '=', zuid)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async updateNames(zuid: string, names: Pick<User, 'firstName' | 'lastName' | 'displayName'>): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ first_name: names.firstName, last_name: names.lastName, display_name: names.displayName })
      .where('zuid', '=', zuid)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async setAdmin(zuid: string, isAdmin: boolean): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ is_admin: isAdmin ? 1 : 0 })
      .where('zuid', '=', zuid)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async list(): Promise<User[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('created_at').orderBy('zuid').execute()).map(toUser);
  }

  count(): Promise<number> {
    return countRows(this.db, 'users');
  }
}

function toUser(row: Selectable<UsersTable>): User {
  return {
    zuid: row.zuid,
    email: row.email,
    passwordHash: row.password_hash,
    firstName: row.first_name,
    lastName: row.last_name,
    displayName: row.display_name,
    isAdmin: row.is_admin === 1,
    mustChangePassword: row.must_change_password === 1,
    disabled: row.disabled === 1,
    createdAt: Number(row.created_at),
    ...dcField(row.dc),
  };
}
