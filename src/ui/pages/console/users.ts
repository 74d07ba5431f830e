import type { User } from '../../../core/users/user.js';
import { formatTime } from '../../format.js';
import { html } from '../../html.js';
import { consolePage, type ConsoleFrame } from './frame.js';

/** Administrators' list of every user, with how many clients each has registered. */
export function usersPage(page: ConsoleFrame & { users: User[]; clientCounts: Map<string, number> }): string {
  return consolePage(
    page,
    'Users',
    'users',
    html`<h1>Users</h1>
      <div class="table-card">
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Clients</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            ${page.users.map(
              (user) =>
                html`<tr>
                  <td data-label="Name">${user.displayName}</td>
                  <td data-label="Email">${user.email}</td>
                  <td data-label="Role">${user.isAdmin ? 'Administrator' : 'User'}</td>
                  <td data-label="Clients">${page.clientCounts.get(user.zuid) ?? 0}</td>
                  <td data-label="Created">${formatTime(user.createdAt)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`,
  );
}
