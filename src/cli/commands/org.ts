import { CLI_CONTEXT } from '../../core/audit/audit-log.js';
import { ManagementError } from '../../core/errors/management-error.js';
import { createOrganisation, findOrganisation, listOrganisations, setOrgMember } from '../../core/orgs/administer-organisations.js';
import { ORG_ROLES, type OrgRole } from '../../core/orgs/organisation-repository.js';
import { findUserByEmail } from '../../core/users/administer-users.js';
import { requireOption, stringOption, type Command } from '../command.js';
import { withGatehouse } from '../context.js';

export const orgCreateCommand: Command = {
  words: ['org', 'create'],
  summary: 'Create an organisation (a service org, as soid=ZohoCRM.<id> names it) with its first administrator.',
  options: {
    name: { type: 'string', description: "The organisation's name", required: true },
    admin: { type: 'string', description: "Its first administrator's email", required: true },
  },
  async run(values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const admin = await findUserByEmail(requireOption(values, 'admin'), gatehouse.storage.users);
      const org = await createOrganisation(requireOption(values, 'name'), admin, CLI_CONTEXT, gatehouse);
      return {
        json: { org: { id: org.id, name: org.name, dc: org.dc, admin: admin.email } },
        text: `Created the organisation ${org.name}, ID ${org.id}, administered by ${admin.email} (soid=ZohoCRM.${org.id}).`,
      };
    });
  },
};

export const orgAddMemberCommand: Command = {
  words: ['org', 'add-member'],
  summary: "Add a user to an organisation, or change a member's role (admin or user; by default user).",
  options: {
    org: { type: 'string', description: "The organisation's ID", required: true },
    email: { type: 'string', description: "The user's email", required: true },
    role: { type: 'string', description: 'admin or user (default user)' },
  },
  validate(values) {
    const role = stringOption(values, 'role');
    return role === undefined || (ORG_ROLES as readonly string[]).includes(role)
      ? []
      : [new ManagementError('org.role_invalid', 'The role must be admin or user.', 400, 'role')];
  },
  async run(values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const org = await findOrganisation(requireOption(values, 'org'), gatehouse.storage.organisations);
      const user = await findUserByEmail(requireOption(values, 'email'), gatehouse.storage.users);
      const role = (stringOption(values, 'role') ?? 'user') as OrgRole;
      const outcome = await setOrgMember(org, user, role, CLI_CONTEXT, gatehouse);
      const said = { added: 'is now', changed: 'is now', unchanged: 'was already' }[outcome];
      return { json: { org: org.id, email: user.email, role, outcome }, text: `${user.email} ${said} ${role} of ${org.name} (${org.id}).` };
    });
  },
};

export const orgListCommand: Command = {
  words: ['org', 'list'],
  summary: 'List the organisations with their members and roles.',
  options: {},
  async run(_values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const rows = await listOrganisations(gatehouse.storage);
      const text = rows
        .map(
          (o) => `${o.id}  ${o.name}${o.dc ? ` (${o.dc})` : ''}\n${o.members.map((m) => `  ${m.role.padEnd(5)}  ${m.email}`).join('\n')}`,
        )
        .join('\n');
      return {
        json: { orgs: rows.map(({ createdAt, ...org }) => ({ ...org, created_at: new Date(createdAt).toISOString() })) },
        text: text || 'No organisations.',
      };
    });
  },
};
