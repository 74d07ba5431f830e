import type { User } from '../../../core/users/user.js';
import { formatTime } from '../../format.js';
import { html } from '../../html.js';
import { listTable } from '../../list-table.js';
import { consolePage, type ConsoleFrame } from './frame.js';

/** Administrators' list of every user, with how many clients each has registered. */
export function usersPage(page: ConsoleFrame & { users: User[]; clientCounts: Map<string, number> }): string {
  return consolePage(
    page,
    'Users',
    'users',
    html`<h1>Users</h1>
      ${listTable(
        [
          { label: 'Name', cell: (user) => user.displayName },
          { label: 'Email', cell: (user) => user.email },
          { label: 'Role', cell: (user) => (user.isAdmin ? 'Administrator' : 'User') },
          { label: 'Clients', cell: (user) => page.clientCounts.get(user.zuid) ?? 0 },
          { label: 'Created', cell: (user) => formatTime(user.createdAt) },
        ],
        page.users,
      )}`,
  );
}
