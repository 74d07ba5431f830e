import { ACCESS_TOKEN_FORMATS, CLIENT_TYPES, TOKEN_ENDPOINT_AUTH_METHODS } from '../core/clients/client.js';
import { anyObject, arrayOf, boolean, object, oneOf, optional, required, string, type Reader, type SeedProblem } from './json-shape.js';

/**
 * The seed file's shape, one reader per kind of entry. `schemas/gatehouse.seed.schema.json` declares the same shapes
 * for editors and other tools; the patterns below are the schema's (a test compares them). A new field of a kind is
 * one line here, one in the schema, and one in that kind's planner.
 */
export const SEED_PATTERNS = {
  /** Spec decision 4: `1000.` + 30 upper-case alphanumerics. */
  clientId: /^1000\.[A-Z0-9]{30}$/,
  /** Spec decision 4: 42 lower-case hex. */
  clientSecret: /^[0-9a-f]{42}$/,
  /** Codes and tokens, spec decision 4. */
  refreshToken: /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/,
  /** An argon2id PHC string, as Gatehouse stores passwords. */
  passwordHash: /^\$argon2id\$v=19\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/,
  /** Record IDs are 19 digits, as Gatehouse makes them: fixed width keeps their text order numeric. */
  recordId: /^[1-9][0-9]{18}$/,
} as const;

const email = string({ minLength: 3, maxLength: 254 });
const clientId = string({ pattern: SEED_PATTERNS.clientId, shape: '"1000." followed by 30 upper-case letters and digits' });
const scope = string({ minLength: 1, maxLength: 2000 });

export const userEntry = object({
  email: required(email),
  first_name: required(string({ minLength: 1, maxLength: 100 })),
  last_name: required(string({ minLength: 1, maxLength: 100 })),
  /** Plain, for development; or `password_hash`, never both. */
  password: optional(string({ minLength: 8, maxLength: 1024 })),
  password_hash: optional(
    string({ pattern: SEED_PATTERNS.passwordHash, shape: 'an argon2id hash ($argon2id$v=19$m=…,t=…,p=…$salt$hash)' }),
  ),
  admin: optional(boolean),
  disabled: optional(boolean),
});

export const clientEntry = object({
  client_id: required(clientId),
  client_secret: optional(string({ pattern: SEED_PATTERNS.clientSecret, shape: '42 lower-case hexadecimal characters' })),
  type: required(oneOf(CLIENT_TYPES)),
  /** Email of the owning user, in this file or the database. */
  owner: required(email),
  name: optional(string()),
  homepage: optional(string()),
  redirect_uris: optional(arrayOf(string())),
  js_domains: optional(arrayOf(string())),
  /** RFC 9449 §5.2: every token request must carry a DPoP proof. */
  dpop_bound_access_tokens: optional(boolean),
  /** RFC 7591 §2; checked as registering a client checks it (`validateClientKeyFields`). */
  token_endpoint_auth_method: optional(oneOf(TOKEN_ENDPOINT_AUTH_METHODS)),
  jwks: optional(anyObject),
  jwks_uri: optional(string()),
  require_signed_request_object: optional(boolean),
  /** RFC 9068: `jwt` access tokens, or `opaque` (the default). */
  access_token_format: optional(oneOf(ACCESS_TOKEN_FORMATS)),
  /** OpenID Connect Dynamic Client Registration §2: RS256 (absent), ES256 or EdDSA. */
  id_token_signed_response_alg: optional(string()),
  /** The same; absent: plain JSON userinfo. */
  userinfo_signed_response_alg: optional(string()),
  /** RFC 9126 §6: authorization requests only through the pushed authorization request endpoint. */
  require_pushed_authorization_requests: optional(boolean),
});

export const refreshTokenEntry = object({
  client_id: required(clientId),
  /** The user the token acts for; by default the client's owner (a Self Client's is always its owner). */
  user: optional(email),
  scope: required(scope),
  token: required(string({ pattern: SEED_PATTERNS.refreshToken, shape: '"1000." then 32 and 32 lower-case hex digits, dot-separated' })),
});

export const consentEntry = object({
  user: required(email),
  client_id: required(clientId),
  scope: required(scope),
});

export const recordEntry = object({
  /** `crm.Leads`, `fsm.Work_Orders`: product and module API name. */
  module: required(string({ minLength: 1 })),
  id: required(string({ pattern: SEED_PATTERNS.recordId, shape: 'a 19-digit number in a string, not starting with 0' })),
  owner: required(email),
  fields: required(anyObject),
});

type Entry<R> = R extends (...args: never[]) => infer T ? NonNullable<T> : never;
export type SeedUser = Entry<typeof userEntry>;
export type SeedClient = Entry<typeof clientEntry>;
export type SeedRefreshToken = Entry<typeof refreshTokenEntry>;
export type SeedConsent = Entry<typeof consentEntry>;
export type SeedRecord = Entry<typeof recordEntry>;

/** The kinds of entry, in the order they are applied (a client needs its owner, a consent its user and client). */
const ENTRY_READERS = {
  users: userEntry,
  clients: clientEntry,
  refresh_tokens: refreshTokenEntry,
  consents: consentEntry,
  records: recordEntry,
} as const;
export type SeedKind = keyof typeof ENTRY_READERS;
export const SEED_KINDS = Object.keys(ENTRY_READERS) as SeedKind[];

/** Each kind's entries by index; an entry whose shape is wrong is left undefined (its problems are reported). */
export type SeedDocument = { [K in SeedKind]: Array<Entry<(typeof ENTRY_READERS)[K]> | undefined> };

/**
 * The document's shape checked entry by entry: every problem, and the entries that have none, so that those can still
 * be checked against the rest of the file and the database in the same run. `invalidKeys` are the emails and client
 * IDs of entries with a wrong shape, so references to them are not reported a second time.
 */
export function readSeedDocument(value: unknown): { document: SeedDocument; problems: SeedProblem[]; invalidKeys: string[] } {
  const problems: SeedProblem[] = [];
  const invalidKeys: string[] = [];
  const document = Object.fromEntries(SEED_KINDS.map((k) => [k, []])) as unknown as SeedDocument;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ path: '$', message: 'must be an object' });
    return { document, problems, invalidKeys };
  }
  const top = value as Record<string, unknown>;
  // `$schema` lets an editor find the schema; it is not read.
  if (top.$schema !== undefined) string()(top.$schema, '$.$schema', problems);
  for (const name of Object.keys(top))
    if (name !== '$schema' && !(name in ENTRY_READERS))
      problems.push({ path: `$.${name}`, message: `is not a known field (known: $schema, ${SEED_KINDS.join(', ')})` });
  for (const kind of SEED_KINDS) {
    const entries = top[kind];
    if (entries === undefined) continue;
    if (!Array.isArray(entries)) {
      problems.push({ path: `$.${kind}`, message: 'must be an array' });
      continue;
    }
    const read = ENTRY_READERS[kind] as Reader<never>;
    (document[kind] as unknown[]) = entries.map((entry: unknown, i) => {
      const valid = read(entry, `$.${kind}[${i}]`, problems);
      if (valid === undefined) invalidKeys.push(...declaredKey(kind, entry));
      return valid;
    });
  }
  return { document, problems, invalidKeys };
}

/** The email a user entry declares, or the client ID a client entry does, when it reads as a string. */
function declaredKey(kind: SeedKind, entry: unknown): string[] {
  const field = kind === 'users' ? 'email' : kind === 'clients' ? 'client_id' : undefined;
  if (field === undefined || typeof entry !== 'object' || entry === null) return [];
  const key = (entry as Record<string, unknown>)[field];
  return typeof key === 'string' ? [key] : [];
}
