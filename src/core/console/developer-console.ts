import type { Client, ClientType } from '../clients/client.js';
import { findClient, registerClient, rotateClientSecret, updateClient, type RegisteredClient } from '../clients/register-client.js';
import type { ClientFields } from '../clients/validate-client.js';
import { ManagementError } from '../errors/management-error.js';
import {
  generateSelfClientCode,
  type SelfClientCode,
  type SelfClientCodeDeps,
  type SelfClientCodeInput,
} from '../self-client/generate-code.js';
import type { StoreOf } from '../store.js';
import { disableUser, enableUser, findUser, resetPassword, setAdministrator } from '../users/administer-users.js';
import { createUser, type NewUserInput } from '../users/create-user.js';
import { oneTimePassword } from '../users/passwords.js';
import type { User } from '../users/user.js';

declare const managed: unique symbol;
/** A client that `DeveloperConsole.client` found and the user may manage: the only kind its operations accept. */
export type ManagedClient = Client & { readonly [managed]: true };

/** One user's grant to a client, as the console lists it. */
export interface ClientGrant {
  userZuid: string;
  email: string | null;
  name: string | null;
  scopes: string[];
  firstGrantedAt: number;
  lastGrantedAt: number;
}

/** What the console uses: the repositories of users, clients and their grants, and what generating a code needs. */
export interface ConsoleDeps extends Omit<SelfClientCodeDeps, 'codes'> {
  storage: StoreOf<'users' | 'clients' | 'codes' | 'consents' | 'sessions' | 'tokens' | 'apiTokens'>;
}

/**
 * What a developer may do in the console, for the JSON API and the pages alike: the access rule (your own clients;
 * an administrator, anyone's) and every operation on them, so both front doors behave the same. Validation lives
 * further down (validate-client, generate-code), shared with the CLI.
 */
export class DeveloperConsole {
  constructor(private readonly deps: ConsoleDeps) {}

  private get clientDeps() {
    const { storage, hasher, now } = this.deps;
    return { users: storage.users, clients: storage.clients, hasher, now };
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

  async listUsers(user: User): Promise<User[]> {
    requireAdmin(user);
    return this.deps.storage.users.list();
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
  ): Promise<{ user: User; generatedPassword?: string }> {
    requireAdmin(admin);
    const generatedPassword = input.password === undefined || input.password === '' ? oneTimePassword() : undefined;
    const user = await createUser(
      { ...input, password: generatedPassword ?? input.password!, mustChangePassword: true },
      { users: this.deps.storage.users, now: this.deps.now },
    );
    return { user, ...(generatedPassword ? { generatedPassword } : {}) };
  }

  disableUser(admin: User, target: User): Promise<User> {
    notOwnAccount(admin, target, 'You cannot disable your own account; another administrator can.');
    return disableUser(target, this.deps);
  }

  enableUser(admin: User, target: User): Promise<User> {
    requireAdmin(admin);
    return enableUser(target, this.deps);
  }

  /** Signs the user out everywhere and returns the one-time password to hand on. */
  resetPassword(admin: User, target: User): Promise<{ user: User; password: string }> {
    notOwnAccount(admin, target, 'Change your own password on the Change password page.');
    return resetPassword(target, this.deps);
  }

  setAdministrator(admin: User, target: User, isAdmin: boolean): Promise<User> {
    // Taking it from yourself could leave no administrator to give it back; granting it to yourself changes nothing.
    if (!isAdmin) notOwnAccount(admin, target, 'You cannot remove your own administrator role; another administrator can.');
    else requireAdmin(admin);
    return setAdministrator(target, isAdmin, this.deps);
  }

  register(user: User, type: ClientType, fields: ClientFields): Promise<RegisteredClient> {
    return registerClient({ ownerZuid: user.zuid, type, ...fields }, this.clientDeps);
  }

  /**
   * A client the user may manage. Anyone else's is reported exactly like one that does not exist. Every operation below
   * takes the client this returns, so none can run without the check, and none reads the client again.
   */
  async client(user: User, clientId: string): Promise<ManagedClient> {
    const client = await findClient(clientId, this.deps.storage.clients);
    if (client.ownerZuid !== user.zuid && !user.isAdmin)
      throw new ManagementError('client.not_found', 'No client has this client ID.', 404, 'client_id');
    return client as ManagedClient;
  }

  update(client: ManagedClient, changes: ClientFields): Promise<Client> {
    return updateClient(client, changes, this.clientDeps);
  }

  /** Deletes the client; the store's cascade revokes everything it holds (codes, tokens, consents). */
  async delete(client: ManagedClient): Promise<void> {
    await this.deps.storage.clients.delete(client.clientId);
  }

  rotateSecret(client: ManagedClient): Promise<RegisteredClient> {
    return rotateClientSecret(client, this.clientDeps);
  }

  generateCode(client: ManagedClient, input: SelfClientCodeInput): Promise<SelfClientCode> {
    return generateSelfClientCode(client, input, { ...this.deps, codes: this.deps.storage.codes });
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
  async revokeGrant(client: ManagedClient, userZuid: string): Promise<void> {
    const revoked = await this.deps.storage.transaction(async (tx) => {
      const tokens = await tx.tokens.revokeGrant(userZuid, client.clientId);
      return (await tx.consents.revoke(userZuid, client.clientId)) || tokens > 0;
    });
    if (!revoked) throw new ManagementError('grant.not_found', 'This user has not granted this client anything.', 404, 'zuid');
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
