import { isDataCenterLocation, type DataCenters } from '../datacenters/data-centers.js';
import { FieldErrors, ManagementError } from '../errors/management-error.js';
import { newZuid } from '../tokens/identifiers.js';
import { DuplicateError } from '../errors/duplicate-error.js';
import type { UserRepository } from './user-repository.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import type { User } from './user.js';

export interface NewUserInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  isAdmin?: boolean;
  mustChangePassword?: boolean;
  /** The home data centre's location (spec §9); by default the primary DC. */
  dc?: string | undefined;
}

/** Deliberately loose: one @, something on each side, a dot in the domain. Mail delivery is the real test. */
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
const MAX_NAME = 100;
const MAX_PASSWORD = 1024;

/**
 * Every problem with a new user's fields, not just the first, so a form, the API and the CLI can name them all at once.
 * Needs no storage: the CLI checks its options with it before it opens a database. Given the deployment's DCs, the
 * home DC must be one of them; without, only well formed.
 */
export function newUserProblems(input: NewUserInput, dataCenters?: DataCenters): ManagementError[] {
  const problems: ManagementError[] = [];
  if (input.dc !== undefined && !(dataCenters ? dataCenters.byLocation(input.dc) : isDataCenterLocation(input.dc))) {
    const known = dataCenters ? ` one of ${dataCenters.locations().join(', ')}` : ' a data centre location such as us or eu';
    problems.push(new ManagementError('user.dc_unknown', `The data centre must be${known}.`, 400, 'dc'));
  }
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254) {
    problems.push(new ManagementError('user.email_invalid', 'Enter a valid email address.', 400, 'email'));
  }
  if (input.password.length < MIN_PASSWORD_LENGTH || input.password.length > MAX_PASSWORD) {
    problems.push(
      new ManagementError(
        'user.password_invalid',
        `The password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD} characters long.`,
        400,
        'password',
      ),
    );
  }
  for (const [field, value] of [
    ['first_name', input.firstName.trim()],
    ['last_name', input.lastName.trim()],
  ] as const) {
    if (value.length === 0 || value.length > MAX_NAME) {
      problems.push(
        new ManagementError('user.name_invalid', `The ${field.replace('_', ' ')} must be 1 to ${MAX_NAME} characters long.`, 400, field),
      );
    }
  }
  return problems;
}

export async function createUser(
  input: NewUserInput,
  deps: { users: UserRepository; now: () => number; dataCenters?: DataCenters },
): Promise<User> {
  const problems = newUserProblems(input, deps.dataCenters);
  if (problems.length > 0) throw new FieldErrors(problems);
  const email = input.email.trim().toLowerCase();
  const firstName = input.firstName.trim();
  const lastName = input.lastName.trim();
  // With one DC nothing is stored (null: the primary), so a one-DC deployment's users are as they always were.
  const dc = input.dc ?? (deps.dataCenters?.several ? deps.dataCenters.primary.location : undefined);
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
    // With several, named even for the primary, so the user stays where they are whatever the order of the DCs later.
    ...(dc === undefined ? {} : { dc }),
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
