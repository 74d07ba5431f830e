/**
 * Zoho's scope grammar (spec §7.1): `Service.scope.OPERATION` or `Service.scope.sub.OPERATION`, plus the single-word
 * OpenID Connect scopes. Comparison is case-insensitive because Zoho's own documents write `ZohoFSM.modules.all`,
 * `ZohoFSM.modules.ALL` and `AaaServer.profile.Read` for the same thing.
 */
export const OPERATIONS = ['ALL', 'READ', 'CREATE', 'UPDATE', 'DELETE', 'WRITE'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** A scope in canonical spelling: `service` and `path` as the registry spells them, `operation` upper-case. */
export interface Scope {
  readonly name: string;
  readonly service: string;
  /** The scope and sub-scope segments, e.g. `['modules', 'leads']`. Empty for OpenID Connect scopes. */
  readonly path: readonly string[];
  /** Undefined for the single-word OpenID Connect scopes (`openid`, `email`, `profile`). */
  readonly operation: Operation | undefined;
}

/** What `WRITE` stands for in CRM (spec §7.1). */
const WRITE_COVERS: ReadonlySet<Operation> = new Set(['CREATE', 'UPDATE', 'DELETE']);

/**
 * Reads a scope name without a registry: `Service.scope[.sub].OPERATION`, or a single word (the OpenID Connect
 * scopes). Resource servers use it for the scopes a token carries and the ones a route needs; the authorization
 * server resolves names through its registry instead, to refuse unknown ones.
 */
export function parseScopeName(name: string): Scope | undefined {
  const parts = name.split('.');
  if (parts.some((p) => p === '')) return undefined;
  if (parts.length === 1) return { name, service: name, path: [], operation: undefined };
  const operation = parseOperation(parts[parts.length - 1]!);
  if (parts.length < 3 || !operation) return undefined;
  return { name, service: parts[0]!, path: parts.slice(1, -1), operation };
}

/** Splits a requested scope string on commas (Zoho) or spaces (RFC 6749), dropping empties and repeats. */
export function splitScopeList(raw: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of raw.split(/[\s,]+/)) {
    if (item === '') continue;
    const key = item.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

export function parseOperation(word: string): Operation | undefined {
  const upper = word.toUpperCase();
  return (OPERATIONS as readonly string[]).includes(upper) ? (upper as Operation) : undefined;
}

/**
 * Does a granted scope satisfy a required one? `S.a.OP` covers `S.a.b.OP2` when OP is ALL, equals OP2, or is WRITE
 * and OP2 is CREATE, UPDATE or DELETE (spec §7.1 matching rule).
 */
export function covers(granted: Scope, required: Scope): boolean {
  if (!sameWord(granted.service, required.service)) return false;
  if (granted.operation === undefined || required.operation === undefined) {
    return granted.operation === required.operation && granted.path.length === required.path.length;
  }
  if (granted.path.length > required.path.length) return false;
  for (let i = 0; i < granted.path.length; i++) {
    if (!sameWord(granted.path[i]!, required.path[i]!)) return false;
  }
  const op = granted.operation;
  return op === 'ALL' || op === required.operation || (op === 'WRITE' && WRITE_COVERS.has(required.operation));
}

/** Equal but for case. Names are nearly always spelled alike, and that check allocates nothing; every API call makes it. */
function sameWord(a: string, b: string): boolean {
  return a === b || (a.length === b.length && a.toLowerCase() === b.toLowerCase());
}

/** True when some granted scope covers `required`. */
export function anyCovers(granted: readonly Scope[], required: Scope): boolean {
  return granted.some((g) => covers(g, required));
}

/** The wire form of a scope set: space separated, as RFC 6749 §3.3 and Zoho's `scope` response field write it. */
export function formatScopes(scopes: readonly Scope[]): string {
  return scopes.map((s) => s.name).join(' ');
}
