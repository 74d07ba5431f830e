import { aboutNewUser, CLI_CONTEXT } from '../../core/audit/audit-log.js';
import { ManagementError } from '../../core/errors/management-error.js';
import { createUser, newUserProblems } from '../../core/users/create-user.js';
import { requireOption, stringOption, type Command } from '../command.js';
import { withGatehouse } from '../context.js';

export const userCreateCommand: Command = {
  words: ['user', 'create'],
  summary: 'Create a user who can sign in and own clients (creates the database if there is none).',
  options: {
    email: { type: 'string', description: 'Email address (the sign-in name)', required: true },
    password: { type: 'string', description: 'Password, 8 characters or more', required: true },
    'first-name': { type: 'string', description: 'First name', required: true },
    'last-name': { type: 'string', description: 'Last name', required: true },
    admin: { type: 'boolean', description: 'Make the user an administrator' },
    dc: { type: 'string', description: "The user's home data centre (a location of GATEHOUSE_DATACENTERS); the first by default" },
  },
  // The first user is how a fresh install starts (before or instead of `serve`), so this may make the database.
  database: 'creates',
  validate(values) {
    const problems = newUserProblems({
      email: stringOption(values, 'email') ?? '',
      password: stringOption(values, 'password') ?? '',
      firstName: stringOption(values, 'first-name') ?? '',
      lastName: stringOption(values, 'last-name') ?? '',
      dc: stringOption(values, 'dc'),
    });
    // The core names fields as the API does (first_name); here they are the options (--first-name).
    return problems.map((p) => new ManagementError(p.code, p.message, p.status, p.field?.replace('_', '-')));
  },
  async run(values, settings) {
    return withGatehouse(
      settings,
      async (gatehouse) => {
        const user = await createUser(
          {
            email: requireOption(values, 'email'),
            password: requireOption(values, 'password'),
            firstName: requireOption(values, 'first-name'),
            lastName: requireOption(values, 'last-name'),
            isAdmin: values.admin === true,
            dc: stringOption(values, 'dc'),
          },
          { users: gatehouse.storage.users, now: gatehouse.now, dataCenters: gatehouse.config.dataCenters },
        );
        await gatehouse.audit.record(CLI_CONTEXT, aboutNewUser(user));
        return {
          json: { zuid: user.zuid, email: user.email, ...(user.dc ? { dc: user.dc } : {}) },
          text: `Created ${user.isAdmin ? 'admin ' : ''}user ${user.email} (ZUID ${user.zuid}${user.dc ? `, data centre ${user.dc}` : ''}).`,
        };
      },
      'creates',
    );
  },
};
