import { createUser } from '../../core/users/create-user.js';
import { requireOption, type Command } from '../command.js';
import { withGatehouse } from '../context.js';

export const userCreateCommand: Command = {
  words: ['user', 'create'],
  summary: 'Create a user who can sign in and own clients.',
  options: {
    email: { type: 'string', description: 'Email address (the sign-in name)', required: true },
    password: { type: 'string', description: 'Password, 8 characters or more', required: true },
    'first-name': { type: 'string', description: 'First name', required: true },
    'last-name': { type: 'string', description: 'Last name', required: true },
    admin: { type: 'boolean', description: 'Make the user an administrator' },
  },
  async run(values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const user = await createUser(
        {
          email: requireOption(values, 'email'),
          password: requireOption(values, 'password'),
          firstName: requireOption(values, 'first-name'),
          lastName: requireOption(values, 'last-name'),
          isAdmin: values.admin === true,
        },
        { users: gatehouse.storage.users, now: gatehouse.now },
      );
      return {
        json: { zuid: user.zuid, email: user.email },
        text: `Created ${user.isAdmin ? 'admin ' : ''}user ${user.email} (ZUID ${user.zuid}).`,
      };
    });
  },
};
