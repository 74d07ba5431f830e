import type { Kysely, Selectable } from 'kysely';
import { DuplicateError } from '../../core/errors/duplicate-error.js';
import type { Organisation, OrganisationRepository, OrgMember, OrgRole } from '../../core/orgs/organisation-repository.js';
import { uniqueViolation } from './errors.js';
import type { Database, OrganisationMembersTable, OrganisationsTable } from './schema.js';

export class SqlOrganisationRepository implements OrganisationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(organisation: Organisation): Promise<void> {
    try {
      await this.db
        .insertInto('organisations')
        .values({ id: organisation.id, name: organisation.name, dc: organisation.dc, created_at: organisation.createdAt })
        .execute();
    } catch (err) {
      if (uniqueViolation(err) !== undefined) throw new DuplicateError('id');
      throw err;
    }
  }

  async find(id: string): Promise<Organisation | undefined> {
    const row = await this.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toOrganisation(row);
  }

  async list(): Promise<Organisation[]> {
    const rows = await this.db.selectFrom('organisations').selectAll().orderBy('name').orderBy('id').execute();
    return rows.map(toOrganisation);
  }

  async setMember(member: OrgMember): Promise<OrgRole | undefined> {
    const previous = await this.roleOf(member.orgId, member.userZuid);
    await this.db
      .insertInto('organisation_members')
      .values({ org_id: member.orgId, user_zuid: member.userZuid, role: member.role, added_at: member.addedAt })
      .onConflict((oc) => oc.columns(['org_id', 'user_zuid']).doUpdateSet({ role: member.role }))
      .execute();
    return previous;
  }

  async members(orgId: string): Promise<OrgMember[]> {
    const rows = await this.db
      .selectFrom('organisation_members')
      .selectAll()
      .where('org_id', '=', orgId)
      // 'admin' sorts before 'user'.
      .orderBy('role')
      .orderBy('added_at')
      .orderBy('user_zuid')
      .execute();
    return rows.map(toMember);
  }

  async roleOf(orgId: string, userZuid: string): Promise<OrgRole | undefined> {
    const row = await this.db
      .selectFrom('organisation_members')
      .select('role')
      .where('org_id', '=', orgId)
      .where('user_zuid', '=', userZuid)
      .executeTakeFirst();
    return row && (row.role as OrgRole);
  }

  async administeredBy(userZuid: string): Promise<Organisation[]> {
    const rows = await this.db
      .selectFrom('organisations')
      .innerJoin('organisation_members', 'organisation_members.org_id', 'organisations.id')
      .selectAll('organisations')
      .where('organisation_members.user_zuid', '=', userZuid)
      .where('organisation_members.role', '=', 'admin')
      .orderBy('organisations.name')
      .orderBy('organisations.id')
      .execute();
    return rows.map(toOrganisation);
  }
}

function toOrganisation(row: Selectable<OrganisationsTable>): Organisation {
  return { id: row.id, name: row.name, dc: row.dc, createdAt: Number(row.created_at) };
}

function toMember(row: Selectable<OrganisationMembersTable>): OrgMember {
  return { orgId: row.org_id, userZuid: row.user_zuid, role: row.role as OrgRole, addedAt: Number(row.added_at) };
}
