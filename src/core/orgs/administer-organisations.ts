import type { AuditContext, AuditEntry, AuditLog } from '../audit/audit-log.js';
import { DuplicateError } from '../errors/duplicate-error.js';
import { ManagementError } from '../errors/management-error.js';
import type { StoreOf } from '../store.js';
import { newOrgId } from '../tokens/identifiers.js';
import type { User } from '../users/user.js';
import type { UserRepository } from '../users/user-repository.js';
import type { Organisation, OrganisationRepository, OrgRole } from './organisation-repository.js';

/**
 * What an operator does to organisations (the CLI): create one with its first administrator, add members or change
 * their role. Each change and its audit event land in one transaction.
 */
export interface OrgAdminDeps {
  storage: StoreOf<'organisations' | 'auditEvents'>;
  audit: AuditLog;
  now: () => number;
}

const MAX_NAME = 100;

export async function findOrganisation(id: string, organisations: OrganisationRepository): Promise<Organisation> {
  const organisation = await organisations.find(id);
  if (!organisation) throw new ManagementError('org.not_found', 'No organisation has this ID.', 404, 'org');
  return organisation;
}

/** A new organisation, in its first administrator's DC, with them as its administrator. */
export async function createOrganisation(name: string, admin: User, by: AuditContext, deps: OrgAdminDeps): Promise<Organisation> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_NAME) {
    throw new ManagementError('org.name_invalid', `The organisation's name must be 1 to ${MAX_NAME} characters long.`, 400, 'name');
  }
  for (let attempt = 1; ; attempt++) {
    const organisation: Organisation = { id: newOrgId(), name: trimmed, dc: admin.dc ?? null, createdAt: deps.now() };
    try {
      await deps.storage.transaction(async (tx) => {
        await tx.organisations.create(organisation);
        await tx.organisations.setMember({ orgId: organisation.id, userZuid: admin.zuid, role: 'admin', addedAt: organisation.createdAt });
        await deps.audit.appendIn(tx.auditEvents, by, aboutOrganisation('org.created', organisation, admin, 'admin'));
      });
      return organisation;
    } catch (err) {
      // Another organisation drew the same ID (one in ninety billion per organisation): draw again.
      if (!(err instanceof DuplicateError) || attempt === 3) throw err;
    }
  }
}

/** Adds the user to the organisation with the role, or changes their role; a member already in the role is left as is. */
export async function setOrgMember(
  organisation: Organisation,
  user: User,
  role: OrgRole,
  by: AuditContext,
  deps: OrgAdminDeps,
): Promise<'added' | 'changed' | 'unchanged'> {
  return deps.storage.transaction(async (tx) => {
    const previous = await tx.organisations.setMember({ orgId: organisation.id, userZuid: user.zuid, role, addedAt: deps.now() });
    if (previous === role) return 'unchanged';
    const type = previous === undefined ? 'org.member.added' : 'org.member.role.changed';
    await deps.audit.appendIn(tx.auditEvents, by, aboutOrganisation(type, organisation, user, role));
    return previous === undefined ? 'added' : 'changed';
  });
}

/** An organisation change: the member it is about, the organisation's ID as subject, its name and the role. */
function aboutOrganisation(
  type: 'org.created' | 'org.member.added' | 'org.member.role.changed',
  organisation: Organisation,
  member: User,
  role: OrgRole,
): AuditEntry {
  return { type, userZuid: member.zuid, subject: organisation.id, detail: `${organisation.name}: ${member.email} is ${role}` };
}

/** An organisation as the CLI and the console list it: with each member's email and role, administrators first. */
export interface OrganisationListing extends Organisation {
  members: Array<{ email: string; role: OrgRole }>;
}

export async function listOrganisations(storage: {
  organisations: OrganisationRepository;
  users: UserRepository;
}): Promise<OrganisationListing[]> {
  const listings: OrganisationListing[] = [];
  for (const organisation of await storage.organisations.list()) {
    const members = [];
    for (const member of await storage.organisations.members(organisation.id)) {
      // Users are never deleted (they are disabled), so every member has an email.
      const user = await storage.users.findByZuid(member.userZuid);
      members.push({ email: user?.email ?? member.userZuid, role: member.role });
    }
    listings.push({ ...organisation, members });
  }
  return listings;
}
