import { invalidScope } from '../errors/oauth-error.js';
import { closestNames } from '../closest-names.js';
import { OPERATIONS, parseOperation, splitScopeList, type Operation, type Scope } from '@gatehouse/resource-server';

/**
 * One known scope family: `ZohoCRM.modules.leads` with the operations it accepts and words for the consent page.
 * `object` completes a sentence: "Read" + " your CRM leads".
 */
export interface ScopeDefinition {
  service: string;
  /** Dotted scope path after the service, e.g. `modules.leads`. Empty for the OpenID Connect scopes. */
  scope: string;
  operations: readonly Operation[];
  object: string;
}

const CRUD: readonly Operation[] = OPERATIONS;
const READ_ONLY: readonly Operation[] = ['ALL', 'READ'];

/** The scopes Gatehouse ships with: CRM and FSM as the sample APIs use them, the profile scope, and OpenID Connect. */
export const DEFAULT_SCOPES: readonly ScopeDefinition[] = [
  { service: 'AaaServer', scope: 'profile', operations: READ_ONLY, object: 'your profile (name, email address, user ID)' },
  { service: 'openid', scope: '', operations: [], object: 'Sign you in with your account' },
  { service: 'email', scope: '', operations: [], object: 'See your email address' },
  { service: 'profile', scope: '', operations: [], object: 'See your name' },
  // OpenID Connect Core §11: the standard way to ask for a refresh token, beside Zoho's access_type=offline.
  { service: 'offline_access', scope: '', operations: [], object: 'Keep access while you are away from the application' },
  { service: 'ZohoCRM', scope: 'modules', operations: CRUD, object: 'all your CRM records' },
  { service: 'ZohoCRM', scope: 'modules.leads', operations: CRUD, object: 'your CRM leads' },
  { service: 'ZohoCRM', scope: 'modules.contacts', operations: CRUD, object: 'your CRM contacts' },
  { service: 'ZohoCRM', scope: 'modules.deals', operations: CRUD, object: 'your CRM deals' },
  { service: 'ZohoCRM', scope: 'users', operations: READ_ONLY, object: 'your CRM users' },
  { service: 'ZohoCRM', scope: 'org', operations: READ_ONLY, object: 'your CRM organization details' },
  { service: 'ZohoCRM', scope: 'settings', operations: READ_ONLY, object: 'all your CRM settings' },
  { service: 'ZohoCRM', scope: 'settings.fields', operations: READ_ONLY, object: 'your CRM field settings' },
  { service: 'ZohoCRM', scope: 'settings.modules', operations: READ_ONLY, object: 'your CRM module settings' },
  { service: 'ZohoFSM', scope: 'modules', operations: CRUD, object: 'all your FSM records' },
  { service: 'ZohoFSM', scope: 'modules.Requests', operations: CRUD, object: 'your FSM requests' },
  { service: 'ZohoFSM', scope: 'modules.Estimates', operations: CRUD, object: 'your FSM estimates' },
  { service: 'ZohoFSM', scope: 'modules.WorkOrders', operations: CRUD, object: 'your FSM work orders' },
];

const VERB: Record<Operation, string> = {
  ALL: 'Full access to',
  READ: 'Read',
  CREATE: 'Create',
  UPDATE: 'Update',
  DELETE: 'Delete',
  WRITE: 'Create, update and delete',
};

/** The known scopes. Unknown ones are `invalid_scope` (RFC 6749 §5.2). Extend with `define`. */
export class ScopeRegistry {
  private readonly byKey = new Map<string, ScopeDefinition>();

  constructor(definitions: readonly ScopeDefinition[] = DEFAULT_SCOPES) {
    for (const d of definitions) this.define(d);
  }

  define(definition: ScopeDefinition): void {
    this.byKey.set(familyKey(definition.service, definition.scope), definition);
  }

  /** Every scope name the registry accepts, for discovery metadata. */
  names(): string[] {
    const out: string[] = [];
    for (const d of this.byKey.values()) {
      if (d.operations.length === 0) out.push(d.service);
      else for (const op of d.operations) out.push(`${d.service}.${d.scope}.${op}`);
    }
    return out;
  }

  /** Resolves one scope name to its canonical form, or undefined when it is not known. */
  lookup(name: string): Scope | undefined {
    const parts = name.split('.');
    if (parts.length === 1) {
      const d = this.byKey.get(familyKey(name, ''));
      return d && d.operations.length === 0 ? { name: d.service, service: d.service, path: [], operation: undefined } : undefined;
    }
    if (parts.length < 3 || parts.some((p) => p === '')) return undefined;
    const operation = parseOperation(parts[parts.length - 1]!);
    if (!operation) return undefined;
    const d = this.byKey.get(familyKey(parts[0]!, parts.slice(1, -1).join('.')));
    if (!d || !d.operations.includes(operation)) return undefined;
    return { name: `${d.service}.${d.scope}.${operation}`, service: d.service, path: d.scope.split('.'), operation };
  }

  /** Parses a requested scope list (comma or space separated). Throws `invalid_scope` naming every unknown scope. */
  parse(raw: string): Scope[] {
    // One lookup per name: every token request parses its scope.
    const scopes: Scope[] = [];
    const unknown: string[] = [];
    for (const name of splitScopeList(raw)) {
      const scope = this.lookup(name);
      if (scope) scopes.push(scope);
      else unknown.push(name);
    }
    if (unknown.length > 0) {
      const known = this.names();
      const hints = unknown.flatMap((n) => closestNames(n, known, 1).map((near) => (unknown.length > 1 ? `${near} for ${n}` : near)));
      throw invalidScope(
        'scope_unknown',
        `Unknown scope${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.${hints.length > 0 ? ` Did you mean ${hints.join(', ')}?` : ''}`,
      );
    }
    return scopes;
  }

  /** Scopes in the registry's own order (families as defined, then operations), so every page lists them alike. */
  private ordered(scopes: readonly Scope[]): Scope[] {
    const families = [...this.byKey.keys()];
    const rank = (s: Scope) =>
      families.indexOf(familyKey(s.service, s.path.join('.'))) * 10 + (s.operation ? OPERATIONS.indexOf(s.operation) : 0);
    return [...scopes].sort((a, b) => rank(a) - rank(b));
  }

  /** Scopes as every page lists them: in the registry's order, each in words with its name. */
  inWords(scopes: readonly Scope[]): Array<{ name: string; description: string }> {
    return this.ordered(scopes).map((s) => ({ name: s.name, description: this.describe(s) }));
  }

  /** Words for a consent page: "Read your CRM leads". */
  describe(scope: Scope): string {
    const d = this.byKey.get(familyKey(scope.service, scope.path.join('.')));
    if (!d) return scope.name;
    return scope.operation ? `${VERB[scope.operation]} ${d.object}` : d.object;
  }
}

function familyKey(service: string, scope: string): string {
  return `${service}.${scope}`.toLowerCase();
}
