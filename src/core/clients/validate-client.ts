import { FieldErrors, ManagementError } from '../errors/management-error.js';
import { DEFAULT_SIGNING_ALGORITHM, isSigningAlgorithm, SIGNING_ALGORITHMS, type SigningAlgorithm } from '../oidc/signing-algorithms.js';
import { validateClientKeyFields, type ClientKeyFields, type ValidClientKeyFields } from './validate-client-keys.js';
import {
  clientUrlFault,
  clientUrlProblem,
  MAX_CLIENT_URL,
  quoteClientUrl,
  SERVER_REQUESTED_URL,
  type ClientUrlRule,
} from './client-url.js';
import { ACCESS_TOKEN_FORMATS, type AccessTokenFormat, type ClientType } from './client.js';

/**
 * What each client type's registration asks for (spec §1.1), and the checks on each field. The console API and the
 * CLI both come through here, so a rule lives in one place.
 */
export interface ClientFields extends ClientKeyFields {
  name?: string | undefined;
  homepage?: string | undefined;
  redirectUris?: readonly string[] | undefined;
  jsDomains?: readonly string[] | undefined;
  postLogoutRedirectUris?: readonly string[] | undefined;
  backchannelLogoutUri?: string | undefined;
  backchannelLogoutSessionRequired?: boolean | undefined;
  /** RFC 9449 §5.2: every token request must carry a DPoP proof. Any client type may ask for it; off by default. */
  dpopBoundAccessTokens?: boolean | undefined;
  /** `opaque` (the default) or `jwt` (RFC 9068); any client type may choose. A string, so a wrong one is named. */
  accessTokenFormat?: string | undefined;
  /** OpenID Connect Dynamic Client Registration §2, any client type: RS256 (the default), ES256 or EdDSA. */
  idTokenSignedResponseAlg?: string | undefined;
  /** The same; absent or empty: plain JSON userinfo. */
  userinfoSignedResponseAlg?: string | undefined;
  /** RFC 9126 §6: authorization requests only through the pushed authorization request endpoint. Off by default. */
  requirePushedAuthorizationRequests?: boolean | undefined;
}

export interface ValidClientFields extends ValidClientKeyFields {
  name: string;
  homepage: string | null;
  redirectUris: string[];
  jsDomains: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  backchannelLogoutSessionRequired: boolean;
  dpopBoundAccessTokens: boolean;
  accessTokenFormat: AccessTokenFormat;
  idTokenSignedResponseAlg: SigningAlgorithm;
  userinfoSignedResponseAlg: SigningAlgorithm | null;
  requirePushedAuthorizationRequests: boolean;
}

/** What a Self Client has of logout: like every type without redirect URIs, no browser comes back to it. */
const NO_LOGOUT = { postLogoutRedirectUris: [], backchannelLogoutUri: null, backchannelLogoutSessionRequired: false };

type Need = 'required' | 'forbidden';
const FIELDS_BY_TYPE: Record<ClientType, { name: Need; homepage: Need; redirectUris: Need; jsDomains: Need }> = {
  server: { name: 'required', homepage: 'required', redirectUris: 'required', jsDomains: 'forbidden' },
  client: { name: 'required', homepage: 'required', redirectUris: 'required', jsDomains: 'required' },
  mobile: { name: 'required', homepage: 'required', redirectUris: 'required', jsDomains: 'forbidden' },
  device: { name: 'required', homepage: 'required', redirectUris: 'forbidden', jsDomains: 'forbidden' },
  self: { name: 'forbidden', homepage: 'forbidden', redirectUris: 'forbidden', jsDomains: 'forbidden' },
};

export const SELF_CLIENT_NAME = 'Self Client';
const MAX_NAME = 100;
const MAX_URIS = 20;
/** Zoho: "letters, digits, spaces; only _ and & allowed as special characters". */
const CLIENT_NAME = /^[\p{L}\p{N} _&]+$/u;
/** Schemes that run code or read files when a browser follows them: never a redirect target. */
const DANGEROUS_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:']);
/** A page a browser is sent to (homepage, JavaScript origin): any web URL. */
const WEB_PAGE_URL: ClientUrlRule = { scheme: 'web', fragment: 'allowed', maxLength: MAX_CLIENT_URL };
/** RFC 6749 §3.1.2: no fragment. A mobile app may be called back at a scheme of its own. */
const WEB_REDIRECT_URL: ClientUrlRule = { scheme: 'web', fragment: 'forbidden', maxLength: MAX_CLIENT_URL };
const APP_REDIRECT_URL: ClientUrlRule = { ...WEB_REDIRECT_URL, scheme: 'any' };

/** Checks every field the type asks for and reports each wrong one (FieldErrors), so a form can mark them all at once. */
export function validateClientFields(type: ClientType, input: ClientFields): ValidClientFields {
  const need = FIELDS_BY_TYPE[type];
  const problems: ManagementError[] = [];
  const check = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof ManagementError)) throw err;
      problems.push(err);
      return undefined;
    }
  };
  for (const field of ['name', 'homepage', 'redirectUris', 'jsDomains'] as const) {
    const given = input[field];
    const present = Array.isArray(given) ? given.length > 0 : given !== undefined && given !== '';
    if (need[field] === 'forbidden' && present) {
      problems.push(
        new ManagementError('client.field_not_allowed', `A ${typeLabel(type)} has no ${fieldLabel(field)}.`, 400, snake(field)),
      );
    }
  }
  // The logout fields belong to the types a browser is redirected back to (OpenID Connect relying parties); optional.
  const logoutGiven =
    (input.postLogoutRedirectUris ?? []).length > 0 || !!input.backchannelLogoutUri || !!input.backchannelLogoutSessionRequired;
  if (need.redirectUris !== 'required' && logoutGiven) {
    problems.push(
      new ManagementError('client.field_not_allowed', `A ${typeLabel(type)} has no logout URIs.`, 400, 'backchannel_logout_uri'),
    );
  }
  // Request objects come to the authorization endpoint, which only types with redirect URIs use.
  if (need.redirectUris !== 'required' && input.requireSignedRequestObject) {
    problems.push(
      new ManagementError(
        'client.field_not_allowed',
        `A ${typeLabel(type)} sends no authorization requests.`,
        400,
        'require_signed_request_object',
      ),
    );
  }
  const keys = check(() => validateClientKeyFields(type, input));
  const accessTokenFormat = check(() => validAccessTokenFormat(input.accessTokenFormat));
  const signing = check(() => validSigningAlgorithms(input));
  // Only a type that sends users to the authorization endpoint has requests to push.
  if (need.redirectUris !== 'required' && input.requirePushedAuthorizationRequests) {
    problems.push(
      new ManagementError(
        'client.field_not_allowed',
        `A ${typeLabel(type)} makes no authorization requests to push.`,
        400,
        'require_pushed_authorization_requests',
      ),
    );
  }
  if (problems.length > 0) throw new FieldErrors(problems);
  const dpopBoundAccessTokens = input.dpopBoundAccessTokens ?? false;
  const requirePushedAuthorizationRequests = input.requirePushedAuthorizationRequests ?? false;
  if (type === 'self')
    return {
      name: SELF_CLIENT_NAME,
      homepage: null,
      redirectUris: [],
      jsDomains: [],
      ...NO_LOGOUT,
      dpopBoundAccessTokens,
      ...keys!,
      accessTokenFormat: accessTokenFormat!,
      ...signing!,
      requirePushedAuthorizationRequests,
    };

  const name = check(() => validName(input.name));
  const homepage = check(() => validHomepage(input.homepage));
  const redirectUris =
    need.redirectUris === 'required'
      ? check(() => validateList(input.redirectUris, 'redirect_uris', (uri) => checkRedirectUri(type, uri)))
      : [];
  const jsDomains = need.jsDomains === 'required' ? check(() => validateList(input.jsDomains, 'js_domains', checkJsDomain)) : [];
  const takesLogout = need.redirectUris === 'required';
  const postLogoutRedirectUris = takesLogout
    ? check(() =>
        validateList(input.postLogoutRedirectUris, 'post_logout_redirect_uris', (uri) =>
          checkRedirectUri(type, uri, 'post_logout_redirect_uris'),
        ),
      )
    : [];
  const backchannelLogoutUri = takesLogout ? check(() => validBackchannelLogoutUri(input.backchannelLogoutUri)) : null;
  if (problems.length > 0) throw new FieldErrors(problems);
  return {
    name: name!,
    homepage: homepage!,
    redirectUris: redirectUris!,
    jsDomains: jsDomains!,
    postLogoutRedirectUris: postLogoutRedirectUris!,
    backchannelLogoutUri: backchannelLogoutUri ?? null,
    backchannelLogoutSessionRequired: takesLogout && (input.backchannelLogoutSessionRequired ?? false),
    dpopBoundAccessTokens,
    ...keys!,
    accessTokenFormat: accessTokenFormat!,
    ...signing!,
    requirePushedAuthorizationRequests,
  };
}

export function validAccessTokenFormat(given: string | undefined): AccessTokenFormat {
  if (given === undefined) return 'opaque';
  if (!(ACCESS_TOKEN_FORMATS as readonly string[]).includes(given)) {
    throw new ManagementError(
      'client.access_token_format_invalid',
      'access_token_format must be opaque or jwt.',
      400,
      'access_token_format',
    );
  }
  return given as AccessTokenFormat;
}

/** The client's signing algorithms: RS256 for id_tokens unless another is chosen; none for userinfo (plain JSON). */
function validSigningAlgorithms(input: ClientFields): Pick<ValidClientFields, 'idTokenSignedResponseAlg' | 'userinfoSignedResponseAlg'> {
  return {
    idTokenSignedResponseAlg:
      validSigningAlgorithm(input.idTokenSignedResponseAlg, 'id_token_signed_response_alg') ?? DEFAULT_SIGNING_ALGORITHM,
    userinfoSignedResponseAlg: validSigningAlgorithm(input.userinfoSignedResponseAlg, 'userinfo_signed_response_alg'),
  };
}

/** One of the algorithms Gatehouse signs with; null when none is given (absent or empty). */
function validSigningAlgorithm(given: string | undefined, field: string): SigningAlgorithm | null {
  if (given === undefined || given === '') return null;
  if (isSigningAlgorithm(given)) return given;
  throw new ManagementError('client.signing_alg_invalid', `The ${field} must be one of ${SIGNING_ALGORITHMS.join(', ')}.`, 400, field);
}

function validName(given: string | undefined): string {
  const name = (given ?? '').trim();
  if (name.length === 0 || name.length > MAX_NAME || !CLIENT_NAME.test(name)) {
    throw new ManagementError(
      'client.name_invalid',
      `Enter a valid client name: 1 to ${MAX_NAME} letters, digits, spaces, _ or &.`,
      400,
      'name',
    );
  }
  return name;
}

function validHomepage(given: string | undefined): string {
  const homepage = (given ?? '').trim();
  if (clientUrlFault(homepage, WEB_PAGE_URL) !== undefined)
    throw new ManagementError('client.homepage_invalid', 'Enter a valid homepage URL (http:// or https://).', 400, 'homepage');
  return homepage;
}

const LIST_RULES = {
  redirect_uris: { what: 'redirect URI', required: 'client.redirect_uri_required', invalid: 'client.redirect_uri_invalid' },
  js_domains: { what: 'JavaScript domain', required: 'client.js_domain_required', invalid: 'client.js_domain_invalid' },
  // Optional: a client without any is never redirected after logout (the signed-out page is shown).
  post_logout_redirect_uris: { what: 'post-logout redirect URI', required: null, invalid: 'client.post_logout_redirect_uri_invalid' },
} as const;

type ListField = keyof typeof LIST_RULES;

function validateList(values: readonly string[] | undefined, field: ListField, check: (value: string) => void): string[] {
  const list = [...new Set((values ?? []).map((v) => v.trim()).filter((v) => v !== ''))];
  const rule = LIST_RULES[field];
  if (list.length === 0 && rule.required !== null) throw new ManagementError(rule.required, `Enter at least one ${rule.what}.`, 400, field);
  if (list.length > MAX_URIS) throw new ManagementError(rule.invalid, `Enter at most ${MAX_URIS} of them.`, 400, field);
  list.forEach(check);
  return list;
}

/**
 * Redirect URIs are stored exactly as given and later matched byte for byte (RFC 9700 §4.1.3), so they must be
 * absolute, carry no fragment (RFC 6749 §3.1.2), no user info and no wildcard. Mobile apps may use a custom scheme.
 * Post-logout redirect URIs follow the same rules (RP-Initiated Logout §3.1 matches them exactly too).
 */
export function checkRedirectUri(
  type: ClientType,
  uri: string,
  field: 'redirect_uris' | 'post_logout_redirect_uris' = 'redirect_uris',
): void {
  const rule = LIST_RULES[field];
  const fail = (why: string) => new ManagementError(rule.invalid, `Enter a valid ${rule.what}: ${quoteClientUrl(uri)} ${why}.`, 400, field);
  // Named before any other fault: for a web app, "must start with http://" would hide why this one is refused.
  const protocol = URL.canParse(uri) ? new URL(uri).protocol : undefined;
  if (protocol !== undefined && DANGEROUS_SCHEMES.has(protocol)) throw fail(`uses the ${protocol} scheme`);
  const why = clientUrlProblem(uri, type === 'mobile' ? APP_REDIRECT_URL : WEB_REDIRECT_URL, {
    fragment: 'has a fragment (#), which RFC 6749 §3.1.2 forbids',
  });
  if (why !== undefined) throw fail(why);
  if (uri.includes('*')) throw fail('has a wildcard; redirect URIs match exactly');
}

/**
 * Gatehouse itself POSTs to this URI, so it must be https: only loopback may use plain http. The SSRF this opens is
 * bounded in README › Security (no redirects followed, a fixed body, the answer never shown, 5 s).
 */
function validBackchannelLogoutUri(given: string | undefined): string | null {
  const uri = (given ?? '').trim();
  if (uri === '') return null;
  const why = clientUrlProblem(uri, SERVER_REQUESTED_URL, {
    fragment: 'has a fragment (#), which Back-Channel Logout §2.2 forbids',
  });
  if (why === undefined) return uri;
  throw new ManagementError(
    'client.backchannel_logout_uri_invalid',
    `Enter a valid back-channel logout URI: ${quoteClientUrl(uri)} ${why}.`,
    400,
    'backchannel_logout_uri',
  );
}

export function checkJsDomain(domain: string): void {
  const fail = () =>
    new ManagementError(
      'client.js_domain_invalid',
      `Enter a valid JavaScript domain: ${quoteClientUrl(domain)} must be an origin such as https://app.example.com.`,
      400,
      'js_domains',
    );
  if (clientUrlFault(domain, WEB_PAGE_URL) !== undefined) throw fail();
  if (new URL(domain).origin !== domain.replace(/\/$/, '')) throw fail();
}

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const fieldLabel = (field: string) =>
  ({ name: 'name', homepage: 'homepage URL', redirectUris: 'redirect URIs', jsDomains: 'JavaScript domains' })[field];
export function typeLabel(type: ClientType): string {
  return {
    server: 'server-based application',
    client: 'client-based application',
    mobile: 'mobile-based application',
    device: 'non-browser application',
    self: 'Self Client',
  }[type];
}
