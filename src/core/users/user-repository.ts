import type { User } from './user.js';

export interface UserRepository {
  /** Throws DuplicateError('email') when the email is taken. */
  create(user: User): Promise<void>;
  findByEmail(email: string): Promise<User | undefined>;
  findByZuid(zuid: string): Promise<User | undefined>;
  count(): Promise<number>;
  /** Every user, for administrators, oldest first. */
  list(): Promise<User[]>;
  /** Replaces the password hash and clears (or sets) the must-change flag. False when no such user. */
  updatePassword(zuid: string, passwordHash: string, mustChangePassword: boolean): Promise<boolean>;
  /**
   * Disables or re-enables the user. False when no such user. Inside a transaction on PostgreSQL it waits for
   * transactions issuing a token to the user (`TokenRepository.createAccessToken`), so none commits a token after it.
   */
  setDisabled(zuid: string, disabled: boolean): Promise<boolean>;
  /** Replaces the user's names (the seed file's update). False when no such user. */
  updateNames(zuid: string, names: Pick<User, 'firstName' | 'lastName' | 'displayName'>): Promise<boolean>;
  /** Grants or takes away the administrator role. False when no such user. */
  setAdmin(zuid: string, isAdmin: boolean): Promise<boolean>;
}
