import type { SecretSeal } from '../secret-seal.js';
import { aboutClient, aboutNewUser, aboutSelfClientCode, type AuditContext, type AuditLog } from '../audit/audit-log.js';
import { listAuditEvents, parseAuditFilters, type AuditFilterInput, type AuditPage } from '../audit/audit-query.js';
import type { Client, ClientType } from '../clients/client.js';
import { findClient, registerClient, rotateClientSecret, updateClient, type RegisteredClient } from '../clients/register-client.js';
import { dataCentersChanged, setClientDataCenters } from '../clients/client-data-centers.js';
import type { ClientFields } from '../clients/validate-client.js';
import { ManagementError } from '../errors/management-error.js';
import type { ActivitySeries } from '../observability/hourly-activity.js';
import { listOrganisations, type OrganisationListing } from '../orgs/administer-organisations.js';
import type { GatehouseEvents } from '../observability/events.js';
import {
  generateSelfClientCode,
  type SelfClientCode,
  type SelfClientCodeDeps,
  type SelfClientCodeInput,
} from '../self-client/generate-code.js';
import type { StoreOf } from '../store.js';
import type { SessionEndListener } from '../logout/back-channel-logout.js';
import { factorSummary, resetFactors, type FactorSummary } from '../mfa/manage-factors.js';
import { revokeGrant } from '../tokens/revocation.js';
import { disableUser, enableUser, findUser, resetPassword, setAdministrator } from '../users/administer-users.js';
import { createUser, type NewUserInput } from '../users/create-user.js';
import { oneTimePassword } from '../users/passwords.js';
import type { User } from '../users/user.js';

declare const managed: unique symbol;
/** Whose a client is: the console shows an administrator looking at someone else's client whose it is. */
export interface ClientOwner {
  zuid: string;
  email: string;
}
/**
 * A client that `DeveloperConsole.client` found (or `register` made) and the user may manage: the only kind its
 * operations accept. It names its owner.
 */
export type ManagedClient = Client & { readonly [managed]: true; readonly owner: ClientOwner };

/** What a client registered dynamically without an owner names as its owner (the pages say so by `ownerZuid`). */
const UNOWNED: ClientOwner = { zuid: '', email: 'nobody (registered dynamically)' };

/** A copy (the store may hand out the object it caches) that names its owner. */
function managedClient(client: Client, owner: ClientOwner): ManagedClient {
  return { ...client, owner: { zuid: owner.zuid, email: owner.email } } as ManagedClient;
}

/** One user's grant to a client, as the console lists it. */
export interface ClientGrant {
  userZuid: string;
  email: string | null;
  name: string | null;
  scopes: string[];
  firstGrantedAt: number;
  lastGrantedAt: number;
}

/** What the console uses: the repositories of users, clients and their grants, what generating a code needs, and the overview's counts. */
export interface ConsoleDeps extends Omit<SelfClientCodeDeps, 'codes'> {
  storage: StoreOf<
    | 'users'
    | 'clients'
    | 'codes'
    | 'consents'
    | 'sessions'
    | 'tokens'
    | 'apiTokens'
    | 'factors'
    | 'passkeys'
    | 'auditEvents'
    | 'organisations'
  >;
  audit: AuditLog;
  /** Seals `client_secret_jwt` clients' secrets (`ClientManagementDeps`). */
  clientSecretSeal: SecretSeal;
  /** Told of revoked grants (the metrics). */
  events: GatehouseEvents;
  /** This node's hourly counts, for the administrators' overview. */
  activity: { series(): ActivitySeries };
  /** Told when an administrator's action ends a user's sessions (back-channel logout). */
  backChannelLogout: SessionEndListener;
}

/**
 * What a developer may do in the console, for the JSON API and the pages alike: the access rule (your own clients;
 * an administrator, anyone's) and every operation on them, so both front doors behave the same. Validation lives
 * further down (validate-client, generate-code), shared with the CLI.
 *
 * Every operation that changes something takes `by` (who, from where) and leaves an audit event: in the operation's
 * transaction where it has one, else best-effort once the change is made (see `AuditLog`).
 */
export class DeveloperConsole {
  constructor(private readonly deps: ConsoleDeps) {}

  private get clientDeps() {
    const { storage, hasher, now, clientSecretSeal } = this.deps;
    return { users: storage.users, clients: storage.clients, hasher, now, clientSecretSeal };
  }

  /** The user's own clients, or with `all` (administrators only) every user's. */
  async listClients(user: User, options: { all?: boolean } = {}): Promise<Client[]> {
    if (options.all) {
      requireAdmin(user);
      return this.deps.storage.clients.listAll();
    }
    return this.deps.storage.clients.listByOwner(user.zuid);
  }

  /** Refuses anyone but an administrator, for pages that show nothing else to check it by (an empty form). */
  requireAdmin(user: User): void {
    requireAdmin(user);
  }

  /** The administrators' overview: this node's hourly counts, and how many grants, clients and users there are now. */
  async overview(admin: User): Promise<{ activity: ActivitySeries; live: { grants: number; clients: number; users: number } }> {
    requireAdmin(admin);
    const { consents, clients, users } = this.deps.storage;
    const [grants, clientCount, userCount] = await Promise.all([consents.count(), clients.count(), users.count()]);
    return { activity: this.deps.activity.series(), live: { grants, clients: clientCount, users: userCount } };
  }

  async listUsers(user: User): Promise<User[]> {
    requireAdmin(user);
    return this.deps.storage.users.list();
  }

  /** Every organisation with its members; administrators only. */
  async listOrganisations(admin: User): Promise<OrganisationListing[]> {
    requireAdmin(admin);
    return listOrganisations(this.deps.storage);
  }

  /** A page of the audit log, newest first; administrators only. */
  async auditEvents(user: User, filters: AuditFilterInput): Promise<AuditPage> {
    requireAdmin(user);
    const { storage } = this.deps;
    return listAuditEvents(await parseAuditFilters(filters, storage.users), storage.auditEvents);
  }

  /** A user an administrator manages; for anyone else, the same refusal as the list of users. */
  async user(admin: User, zuid: string): Promise<User> {
    requireAdmin(admin);
    return findUser(zuid, this.deps.storage.users);
  }

  /**
   * An account made by an administrator. The administrator knows its first password (typed or generated, then shown
   * once), so the user must choose their own at first sign-in. Returns the password when it was generated.
   */
  async createUser(
    admin: User,
    input: Omit<NewUserInput, 'password' | 'mustChangePassword'> & { password?: string | undefined },
    by: AuditContext,
  ): Promise<{ user: User; generatedPassword?: string }> {
    requireAdmin(admin);
    const generatedPassword = input.password === undefined || input.password === '' ? oneTimePassword() : undefined;
    const user = await createUser(
      { ...input, password: generatedPassword ?? input.password!, mustChangePassword: true },
      { users: this.deps.storage.users, now: this.deps.now, dataCenters: this.deps.config.dataCenters },
    );
    await this.deps.audit.record(by, aboutNewUser(user));
    return { user, ...(generatedPassword ? { generatedPassword } : {}) };
  }

  disableUser(admin: User, target: User, by: AuditContext): Promise<User> {
    notOwnAccount(admin, target, 'You cannot disable your own account; another administrator can.');
    return disableUser(target, by, this.deps);
  }

  enableUser(admin: User, target: User, by: AuditContext): Promise<User> {
    requireAdmin(admin);
    return enableUser(target, by, this.deps);
  }

  /** Signs the user out everywhere and returns the one-time password to hand on. */
  resetPassword(admin: User, target: User, by: AuditContext): Promise<{ user: User; password: string }> {
    notOwnAccount(admin, target, 'Change your own password on the Change password page.');
    return resetPassword(target, by, this.deps);
  }

  /** The user's second factors: which, when added and last used, recovery codes left. */
  factors(admin: User, target: User): Promise<FactorSummary> {
    requireAdmin(admin);
    return factorSummary(target.zuid, this.deps);
  }

  /** Removes every second factor of a user who lost them, and ends their sessions; they sign in with the password and add one again. */
  async resetFactors(admin: User, target: User, by: AuditContext): Promise<FactorSummary> {
    notOwnAccount(admin, target, 'Remove your own authenticator app on the Security page.');
    await resetFactors(target, by, this.deps);
    return factorSummary(target.zuid, this.deps);
  }

  setAdministrator(admin: User, target: User, isAdmin: boolean, by: AuditContext): Promise<User> {
    // Taking it from yourself could leave no administrator to give it back; granting it to yourself changes nothing.
    if (!isAdmin) notOwnAccount(admin, target, 'You cannot remove your own administrator role; another administrator can.');
    else requireAdmin(admin);
    return setAdministrator(target, isAdmin, by, this.deps);
  }

  /** Registers a client for the user, who manages it from then on. */
  async register(
    user: User,
    type: ClientType,
    fields: ClientFields,
    by: AuditContext,
  ): Promise<{ client: ManagedClient; clientSecret: string | undefined }> {
    const { client, clientSecret } = await registerClient({ ownerZuid: user.zuid, type, ...fields }, this.clientDeps);
    await this.deps.audit.record(by, aboutClient('client.created', client));
    return { client: managedClient(client, user), clientSecret };
  }

  /**
   * A client the user may manage. Anyone else's is reported exactly like one that does not exist. Every operation below
   * takes the client this returns, so none can run without the check, and none reads the client again.
   */
  async client(user: User, clientId: string): Promise<ManagedClient> {
    const client = await findClient(clientId, this.deps.storage.clients);
    if (client.ownerZuid === user.zuid) return managedClient(client, user);
    if (!user.isAdmin) throw new ManagementError('client.not_found', 'No client has this client ID.', 404, 'client_id');
    if (client.ownerZuid === null) return managedClient(client, UNOWNED);
    // The owner exists: deleting a user deletes their clients.
    const owner = await this.deps.storage.users.findByZuid(client.ownerZuid);
    return managedClient(client, { zuid: client.ownerZuid, email: owner?.email ?? client.ownerZuid });
  }

  async update(client: ManagedClient, changes: ClientFields, by: AuditContext): Promise<Client> {
    const updated = await updateClient(client, changes, this.clientDeps);
    await this.deps.audit.record(by, aboutClient('client.updated', updated));
    return updated;
  }

  /** Replaces the DCs besides its home that the client may be used in (Settings → Multi-DC, spec §1.2). */
  async setDataCenters(client: ManagedClient, otherDcs: readonly string[], by: AuditContext): Promise<ManagedClient> {
    const updated = await setClientDataCenters(client, otherDcs, {
      clients: this.deps.storage.clients,
      now: this.deps.now,
      dataCenters: this.deps.config.dataCenters,
    });
    await this.deps.audit.record(by, dataCentersChanged(updated));
    return managedClient(updated, client.owner);
  }

  /** Deletes the client; the store's cascade revokes everything it holds (codes, tokens, consents). */
  async delete(client: ManagedClient, by: AuditContext): Promise<void> {
    await this.deps.storage.clients.delete(client.clientId);
    await this.deps.audit.record(by, aboutClient('client.deleted', client));
  }

  async rotateSecret(client: ManagedClient, by: AuditContext): Promise<RegisteredClient> {
    const rotated = await rotateClientSecret(client, this.clientDeps);
    await this.deps.audit.record(by, aboutClient('client.secret.rotated', client));
    return rotated;
  }

  async generateCode(client: ManagedClient, input: SelfClientCodeInput, by: AuditContext): Promise<SelfClientCode> {
    const code = await generateSelfClientCode(client, input, { ...this.deps, codes: this.deps.storage.codes });
    await this.deps.audit.record(by, aboutSelfClientCode(client, code.scope));
    return code;
  }

  /** Who granted the client what, newest grant first. */
  async grants(client: ManagedClient): Promise<ClientGrant[]> {
    const { storage } = this.deps;
    const grants: ClientGrant[] = [];
    for (const consent of await storage.consents.listForClient(client.clientId)) {
      const grantor = await storage.users.findByZuid(consent.userZuid);
      grants.push({
        userZuid: consent.userZuid,
        email: grantor?.email ?? null,
        name: grantor?.displayName ?? null,
        scopes: consent.scopes.split(' '),
        firstGrantedAt: consent.firstGrantedAt,
        lastGrantedAt: consent.lastGrantedAt,
      });
    }
    return grants;
  }

  /** Ends one user's grant: their tokens for the client go and the consent is forgotten. */
  async revokeGrant(client: ManagedClient, userZuid: string, by: AuditContext): Promise<void> {
    if (!(await revokeGrant(userZuid, client.clientId, by, this.deps)))
      throw new ManagementError('grant.not_found', 'This user has not granted this client anything.', 404, 'zuid');
  }
}

function requireAdmin(user: User): void {
  if (!user.isAdmin) throw new ManagementError('auth.admin_required', 'Only administrators see every user and client.', 403);
}

/** An administrator's change that would lock themselves out. */
function notOwnAccount(admin: User, target: User, message: string): void {
  requireAdmin(admin);
  if (admin.zuid === target.zuid) throw new ManagementError('user.own_account', message, 403);
}
