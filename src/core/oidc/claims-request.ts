import { invalidRequest } from '../errors/oauth-error.js';

/** One requested claim (OpenID Connect Core §5.5.1): null, or how much it matters and what values would do. */
export interface ClaimRequest {
  essential: boolean;
  /** `value` and `values` together, the string ones: what the client would accept; empty when it named none. */
  values: string[];
}

/**
 * What Gatehouse acts on in the `claims` parameter (OpenID Connect Core §5.5). Standard claims are released by the
 * granted scopes alone, in the id_token and at userinfo alike, so a request for one changes nothing; the members that
 * change the answer are the id_token's `acr` (an essential one is a demand for that level) and `sub` (a value names
 * the only user the answer may be for).
 */
export interface ClaimsRequest {
  idTokenAcr: ClaimRequest | null;
  idTokenSubject: string | null;
}

const malformed = (why: string) => invalidRequest('invalid_parameter', `The claims parameter ${why} (OpenID Connect Core §5.5).`);

/** Reads the parameter; malformed JSON or members of the wrong shape are `invalid_request`. Unknown claims are ignored. */
export function parseClaimsRequest(raw: string): ClaimsRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw malformed('is not valid JSON');
  }
  if (!isObject(parsed)) throw malformed('must be a JSON object');
  const idToken = claimRequests(parsed, 'id_token');
  claimRequests(parsed, 'userinfo');
  const sub = idToken.get('sub');
  if (sub && sub.values.length > 1) throw malformed('may name one sub value only');
  return { idTokenAcr: idToken.get('acr') ?? null, idTokenSubject: sub?.values[0] ?? null };
}

/** The claims one member (`id_token`, `userinfo`) requests, each checked for shape. */
function claimRequests(request: Record<string, unknown>, member: string): Map<string, ClaimRequest> {
  const claims = request[member];
  if (claims === undefined) return new Map();
  if (!isObject(claims)) throw malformed(`member ${member} must be an object`);
  return new Map(Object.entries(claims).map(([name, spec]) => [name, claimRequest(`${member}.${name}`, spec)]));
}

function claimRequest(path: string, spec: unknown): ClaimRequest {
  if (spec === null) return { essential: false, values: [] };
  if (!isObject(spec)) throw malformed(`entry ${path} must be null or an object`);
  const { essential = false, value, values = [] } = spec;
  if (typeof essential !== 'boolean') throw malformed(`entry ${path}.essential must be true or false`);
  if (!Array.isArray(values)) throw malformed(`entry ${path}.values must be an array`);
  // A claim's values may be of any JSON type; the ones Gatehouse compares (acr, sub) are strings.
  return { essential, values: [value, ...values].filter((v): v is string => typeof v === 'string') };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
