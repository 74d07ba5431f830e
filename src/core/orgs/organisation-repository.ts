/**
 * An organisation: what Zoho calls a service org or app instance (a CRM "organization", a Desk "portal"), the unit an
 * org-wide grant and a `client_credentials` `soid` act on (spec §2.1, §3.4). Its ID has the shape of Zoho's zsoid, a
 * numeric string.
 */
export interface Organisation {
  id: string;
  name: string;
  /** The data centre it lives in: its first administrator's home DC; null, the primary (as for users). */
  dc: string | null;
  createdAt: number;
}

/** An administrator may grant applications access to the whole organisation; a user may not. */
export type OrgRole = 'admin' | 'user';
export const ORG_ROLES: readonly OrgRole[] = ['admin', 'user'];

export interface OrgMember {
  orgId: string;
  userZuid: string;
  role: OrgRole;
  addedAt: number;
}

export interface OrganisationRepository {
  /** Throws DuplicateError('id') when the ID is taken (a new one is drawn). */
  create(organisation: Organisation): Promise<void>;
  find(id: string): Promise<Organisation | undefined>;
  /** Every organisation, by name. */
  list(): Promise<Organisation[]>;
  /** Adds the user with the role, or changes the role of a member; the previous role, if they were one. */
  setMember(member: OrgMember): Promise<OrgRole | undefined>;
  /** The members, administrators first, then by when they were added. */
  members(orgId: string): Promise<OrgMember[]>;
  /** The user's role in the organisation; undefined when not a member. */
  roleOf(orgId: string, userZuid: string): Promise<OrgRole | undefined>;
  /** The organisations the user administers, by name: those they may grant an application access to. */
  administeredBy(userZuid: string): Promise<Organisation[]>;
}
