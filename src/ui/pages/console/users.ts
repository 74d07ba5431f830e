import type { User } from '../../../core/users/user.js';
import { formatTime } from '../../format.js';
import { html } from '../../html.js';
import { listTable } from '../../list-table.js';
import { consolePage, notice, userPath, type ConsoleFrame } from './frame.js';

/** Administrators' list of every user, with how many clients each has registered, and Add User. */
export function usersPage(page: ConsoleFrame & { users: User[]; clientCounts: Map<string, number>; notice?: string | undefined }): string {
  return consolePage(
    page,
    'Users',
    'users',
    html`<div class="heading-row">
        <h1>Users</h1>
        <a class="button primary" href="/developer-console/admin/users/new">Add User</a>
      </div>
      ${notice(page.notice)}
      ${listTable(
        [
          { label: 'Name', cell: (user) => html`<a href="${userPath(user.zuid)}">${user.displayName}</a>` },
          { label: 'Email', cell: (user) => user.email },
          { label: 'Role', cell: (user) => (user.isAdmin ? 'Administrator' : 'User') },
          ...(page.dataCenters.length > 1 ? [{ label: 'Data centre', cell: (user: User) => user.dc ?? page.dataCenters[0] }] : []),
          { label: 'Status', cell: (user) => (user.disabled ? 'Disabled' : 'Active') },
          { label: 'Clients', cell: (user) => page.clientCounts.get(user.zuid) ?? 0 },
          { label: 'Created', cell: (user) => formatTime(user.createdAt) },
        ],
        page.users,
      )}`,
  );
}
