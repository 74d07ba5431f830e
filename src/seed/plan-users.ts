import { aboutNewUser } from '../core/audit/audit-log.js';
import type { EndedSessions } from '../core/logout/back-channel-logout.js';
import { newZuid } from '../core/tokens/identifiers.js';
import {
  disableUserIn,
  enableUserIn,
  setAdministratorIn,
  setPasswordIn,
  type UserAdminTransaction,
} from '../core/users/administer-users.js';
import { newUserProblems } from '../core/users/create-user.js';
import { hashPassword, verifyPassword } from '../core/users/passwords.js';
import type { User } from '../core/users/user.js';
import type { SeedUser } from './seed-file.js';
import { entriesOf, SEED_ACTOR, type SeedPlan } from './seed-plan.js';

/** A write to an existing user; the sessions it ended, when it ended some, for back-channel logout after the commit. */
type UserWrite = (tx: UserAdminTransaction) => Promise<EndedSessions | void>;

/** One write an existing user may need; undefined when the user already matches the entry in that respect. */
type UserUpdate = (user: User, entry: SeedUser, plan: SeedPlan) => Promise<UserWrite | undefined>;

/**
 * What the file can change about an existing user, one attribute each. Each change goes the way an administrator's
 * would (sessions end, a disabled user's tokens are revoked, the audit event is written in the transaction).
 */
const USER_UPDATES: readonly UserUpdate[] = [
  async (user, entry) => {
    const names = { firstName: entry.first_name.trim(), lastName: entry.last_name.trim() };
    if (names.firstName === user.firstName && names.lastName === user.lastName) return undefined;
    return async (tx) => {
      await tx.users.updateNames(user.zuid, { ...names, displayName: `${names.firstName} ${names.lastName}` });
    };
  },
  async (user, entry, plan) => {
    if (await passwordMatches(user, entry)) return undefined;
    const hash = await passwordHashOf(entry);
    return (tx) => setPasswordIn(tx, user, hash, false, SEED_ACTOR, plan.gatehouse.audit);
  },
  async (user, entry, plan) => {
    const isAdmin = entry.admin ?? false;
    return user.isAdmin === isAdmin ? undefined : (tx) => setAdministratorIn(tx, user, isAdmin, SEED_ACTOR, plan.gatehouse.audit);
  },
  async (user, entry, plan) => {
    const disabled = entry.disabled ?? false;
    if (user.disabled === disabled) return undefined;
    return (tx) => (disabled ? disableUserIn : enableUserIn)(tx, user, SEED_ACTOR, plan.gatehouse.audit);
  },
];

/** Users by email: created when the database has none with it, else brought to the entry's values. */
export async function planUsers(entries: ReadonlyArray<SeedUser | undefined>, plan: SeedPlan): Promise<void> {
  for (const { entry, path } of entriesOf('users', entries, { field: 'email', of: (u) => u.email.trim().toLowerCase() }, plan)) {
    if (!checkUser(entry, path, plan)) {
      plan.declareInvalid(entry.email);
      continue;
    }
    const existing = await plan.gatehouse.storage.users.findByEmail(entry.email.trim());
    if (existing) {
      plan.declareUser(existing.email, existing.zuid);
      await planUpdate(existing, entry, plan);
    } else {
      const user = await newUser(entry, plan.gatehouse.now());
      plan.declareUser(user.email, user.zuid);
      plan.add({
        kind: 'users',
        outcome: 'created',
        async write(tx) {
          await tx.users.create(user);
          await plan.gatehouse.audit.appendIn(tx.auditEvents, SEED_ACTOR, aboutNewUser(user));
        },
      });
    }
  }
}

/** The core's checks of a new user's fields, and exactly one of `password` and `password_hash`. */
function checkUser(entry: SeedUser, path: string, plan: SeedPlan): boolean {
  const before = plan.problems.length;
  if ((entry.password === undefined) === (entry.password_hash === undefined))
    plan.problem(path, 'give exactly one of password and password_hash');
  const problems = newUserProblems({
    email: entry.email,
    password: entry.password ?? '',
    firstName: entry.first_name,
    lastName: entry.last_name,
  });
  // A pre-hashed password has no length to check; its shape was checked already.
  plan.problemsFrom(
    path,
    problems.filter((p) => entry.password !== undefined || p.field !== 'password'),
  );
  return plan.problems.length === before;
}

async function planUpdate(user: User, entry: SeedUser, plan: SeedPlan): Promise<void> {
  const writes: UserWrite[] = [];
  for (const update of USER_UPDATES) {
    const write = await update(user, entry, plan);
    if (write) writes.push(write);
  }
  if (writes.length === 0) return plan.add({ kind: 'users', outcome: 'unchanged' });
  plan.add({
    kind: 'users',
    outcome: 'updated',
    async write(tx) {
      const ended: EndedSessions[] = [];
      for (const write of writes) {
        const notice = await write(tx);
        if (notice) ended.push(notice);
      }
      return ended;
    },
  });
}

async function newUser(entry: SeedUser, now: number): Promise<User> {
  const firstName = entry.first_name.trim();
  const lastName = entry.last_name.trim();
  return {
    zuid: newZuid(),
    email: entry.email.trim().toLowerCase(),
    passwordHash: await passwordHashOf(entry),
    firstName,
    lastName,
    displayName: `${firstName} ${lastName}`,
    isAdmin: entry.admin ?? false,
    mustChangePassword: false,
    disabled: entry.disabled ?? false,
    createdAt: now,
  };
}

/** A plain password is compared by verifying it (its stored hash has a salt of its own); a given hash, as a string. */
function passwordMatches(user: User, entry: SeedUser): Promise<boolean> {
  if (entry.password_hash !== undefined) return Promise.resolve(entry.password_hash === user.passwordHash);
  return verifyPassword(user.passwordHash, entry.password!);
}

function passwordHashOf(entry: SeedUser): Promise<string> {
  return entry.password_hash !== undefined ? Promise.resolve(entry.password_hash) : hashPassword(entry.password!);
}
