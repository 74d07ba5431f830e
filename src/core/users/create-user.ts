import { ManagementError } from '../errors/management-error.js';
import { newZuid } from '../tokens/identifiers.js';
import { DuplicateError, type UserRepository } from '../../storage/storage.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import type { User } from './user.js';

export interface NewUserInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  isAdmin?: boolean;
  mustChangePassword?: boolean;
}

/** Deliberately loose: one @, something on each side, a dot in the domain. Mail delivery is the real test. */
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
const MAX_NAME = 100;
const MAX_PASSWORD = 1024;

export async function createUser(input: NewUserInput, deps: { users: UserRepository; now: () => number }): Promise<User> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254)
    throw new ManagementError('user.email_invalid', 'Enter a valid email address.', 400, 'email');
  if (input.password.length < MIN_PASSWORD_LENGTH || input.password.length > MAX_PASSWORD) {
    throw new ManagementError(
      'user.password_invalid',
      `The password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD} characters long.`,
      400,
      'password',
    );
  }
  const firstName = input.firstName.trim();
  const lastName = input.lastName.trim();
  for (const [field, value] of [
    ['first_name', firstName],
    ['last_name', lastName],
  ] as const) {
    if (value.length === 0 || value.length > MAX_NAME) {
      throw new ManagementError(
        'user.name_invalid',
        `The ${field.replace('_', ' ')} must be 1 to ${MAX_NAME} characters long.`,
        400,
        field,
      );
    }
  }
  const user: User = {
    zuid: newZuid(),
    email,
    passwordHash: await hashPassword(input.password),
    firstName,
    lastName,
    displayName: `${firstName} ${lastName}`,
    isAdmin: input.isAdmin ?? false,
    mustChangePassword: input.mustChangePassword ?? false,
    disabled: false,
    createdAt: deps.now(),
  };
  try {
    await deps.users.create(user);
  } catch (err) {
    if (err instanceof DuplicateError && err.what === 'email') {
      throw new ManagementError('user.email_taken', 'A user with this email address exists already.', 409, 'email');
    }
    throw err;
  }
  return user;
}
