import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { describeEachDeployment } from './deployments.js';
import type { Harness } from '../support/harness.js';
import type { StoreSnapshot } from '../support/stores.js';
import { ANY_METHOD, FUZZ_CONFIG, FUZZ_ROUTES, registeredRoutes, type FuzzRoute } from './fuzz-routes.js';
import { WorldBuilder, type World } from './fuzz-world.js';
import { sendRaw, type RawRequest, type RawResponse } from './raw-http.js';
import { describeDiff, diffSnapshots, onlyAuditEventsAdded, onlyColumnsChanged, onlyRowsRemoved, type StoreDiff } from './store-diff.js';

/**
 * Property-based fuzzing of every public endpoint: known parameter names and random ones, hostile values, in the
 * query and in urlencoded, multipart, JSON and malformed bodies, under odd methods and headers, with real sessions,
 * CSRF tokens and client credentials mixed in so requests get past the first check. Whatever arrives:
 *
 * - the answer is never a 5xx (nor a dropped connection);
 * - a refusal (a 4xx, an `error` redirect, an `error` in a JSON body) leaves every row of every table as it was, except
 *   for the few refusals that must write, listed in `WRITING_REFUSALS` with their reasons.
 *
 * Runs: FUZZ_RUNS per route (default below) on each store. fast-check picks the seed (fixed in CI, see `SEED`) and
 * prints it, with the path, when a property fails; FUZZ_SEED pins it (FUZZ_PATH as well, to replay the shrunk case),
 * and `--test-name-pattern` picks the route.
 */
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 20);
/**
 * The seed. Locally, fast-check draws a new one each run, so every run explores new inputs. In CI (`CI=true`) the seed
 * is fixed, so that a submission is judged by its own code and not by the draw: a new seed's find is a bug to fix,
 * found by whoever runs the suite, not a red build for an unrelated change.
 */
const CI_SEED = 20261206;
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : process.env.CI === 'true' ? CI_SEED : undefined;
const PATH = process.env.FUZZ_PATH;

// ---------------------------------------------------------------------------------------------------------------------
// What is generated: values resolved against the world of the moment when the request is sent.

/** A literal; a value that fits the parameter's name; any live value; a value of an earlier world; a live one, spoiled. */
type Val =
  | { k: 'lit'; s: string }
  | { k: 'fit'; i: number }
  | { k: 'live'; i: number }
  | { k: 'stale'; i: number }
  | { k: 'spoilt'; i: number; s: string; at: 'prefix' | 'suffix' | 'cut' };

type JsonForm = 'string' | 'array' | 'number' | 'null' | 'bool' | 'object';

interface GenPair {
  name: string;
  value: Val;
  /** How a JSON body carries the value. */
  form: JsonForm;
}

type Body =
  | { k: 'none' }
  | { k: 'form'; charset: boolean }
  | { k: 'multipart'; flaw: 'none' | 'no-boundary' | 'truncated' | 'file' | 'garbage' }
  | { k: 'json'; shape: 'object' | 'records' | 'value' | 'broken'; value: unknown }
  | { k: 'raw'; bytes: string };

type ContentType = { k: 'right' } | { k: 'none' } | { k: 'other'; value: string };

type Auth =
  | { k: 'none' }
  | { k: 'basic-live'; i: number; spoil: boolean }
  | { k: 'basic'; user: Val; pass: Val }
  | { k: 'basic-raw'; value: string }
  | { k: 'scheme'; scheme: string; value: Val };

interface GenRequest {
  method: string;
  pathParams: Record<string, Val>;
  params: GenPair[];
  /** Where the parameters go: the query, the body, some in each, or all in both (so every one is repeated). */
  placement: 'query' | 'body' | 'split' | 'both';
  queryEncoding: 'proper' | 'raw';
  body: Body;
  contentType: ContentType;
  chunked: boolean;
  auth: Auth;
  repeatAuth: boolean;
  session: 'none' | 'owner' | 'admin' | 'stale' | 'garbage';
  csrfCookie: 'none' | 'live' | 'garbage';
  rawCookie: string | undefined;
  origin: 'none' | 'issuer' | 'self' | 'evil' | 'null' | string;
  csrfHeader: Val | undefined;
  extraHeaders: Array<[string, string]>;
  /**
   * Whether header bytes stay as generated (NUL, lone CR, other control characters, bad header names). Node's HTTP
   * parser refuses those with a 400 before any route runs, so most requests have them removed, to reach the routes.
   */
  wireHostile: boolean;
}

const HOSTILE_CONSTANTS = [
  '',
  ' ',
  '%',
  '%00',
  '%zz',
  '%E2%82',
  '%252F',
  '%2F..%2F',
  '+',
  '&',
  '=',
  '?',
  '#',
  '..',
  '../../etc/passwd',
  '/',
  '\\',
  '//evil.example',
  '/\\evil.example',
  'https://evil.example/callback',
  'javascript:alert(1)',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  '9007199254740993',
  '[]',
  '{}',
  '{"a":1}',
  '["x"]',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  "'); drop table users; --",
  '\u0000',
  '\r',
  '\r\n',
  '\n',
  '\t',
  '\u2028',
  '\uFEFF',
  '\uD800',
  '\uDFFF',
  '😀',
  'ǅ',
  'İ',
  'ß',
  '\u202Egnp.exe',
  'ZohoCRM.modules.ALL,',
  ',,,',
  'ZohoCRM.modules.ALL ZohoCRM.modules.ALL',
  'ghat_',
  '1000.',
  '1000.aaaa.bbbb',
  'Bearer',
  // A DPoP proof's shape: a compact JWS whose header claims dpop+jwt with an embedded key, signed with nothing.
  'eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIn19.e30.AAAA',
];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_CONSTANTS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.constantFrom(
        '\0',
        '\r',
        '\n',
        '\t',
        '\x7f',
        '\x1b',
        '%',
        '&',
        '=',
        '+',
        ';',
        ',',
        '"',
        "'",
        '<',
        '\\',
        '/',
        'a',
        '0',
        ' ',
        'é',
        '\u2028',
        '\uD83D',
      ),
      maxLength: 30,
    }),
  },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double()).map(String) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 2 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(4095, 4096, 4097, 4097, 4097, 70_000), fc.constantFrom('a', '%', 'é', '&'))
      .map(([n, c]) => c.repeat(n)),
  },
);

const val: fc.Arbitrary<Val> = fc.oneof(
  { weight: 5, arbitrary: fc.nat().map((i): Val => ({ k: 'fit', i })) },
  { weight: 3, arbitrary: hostileString.map((s): Val => ({ k: 'lit', s })) },
  { weight: 1, arbitrary: fc.nat().map((i): Val => ({ k: 'live', i })) },
  { weight: 1, arbitrary: fc.nat().map((i): Val => ({ k: 'stale', i })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ i: fc.nat(), s: hostileString, at: fc.constantFrom('prefix' as const, 'suffix' as const, 'cut' as const) })
      .map((v): Val => ({ k: 'spoilt', ...v })),
  },
);

const jsonForm: fc.Arbitrary<JsonForm> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<JsonForm>('string') },
  { weight: 1, arbitrary: fc.constantFrom<JsonForm>('array', 'number', 'null', 'bool', 'object') },
);

const COMMON_NAMES = ['csrf', 'client_id', 'client_secret', 'token', 'scope', 'code', '__proto__', 'constructor'];

function pairs(route: FuzzRoute): fc.Arbitrary<GenPair[]> {
  const names = [...new Set([...route.params, ...COMMON_NAMES])];
  const name = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: hostileString });
  const pair = fc.record({ name, value: val, form: jsonForm });
  const known = route.params.length === 0 ? fc.constant([]) : fc.subarray([...route.params]);
  const n = route.params.length;
  // Mostly hostile: some of the route's parameters, any values, then a few more pairs, any of which may repeat a name.
  const hostile = fc
    .tuple(
      fc.oneof({ weight: 2, arbitrary: fc.constant([...route.params]) }, { weight: 1, arbitrary: known }),
      fc.array(fc.tuple(val, jsonForm), { minLength: n, maxLength: n }),
      fc.array(pair, { maxLength: 4 }),
    )
    .map(([chosen, values, extra]) => [...chosen.map((name, i) => ({ name, value: values[i]![0], form: values[i]![1] })), ...extra]);
  // Nearly right: every parameter with the value of one slot of the world (slot i of each list belongs together: a
  // client, its secret, its code, its grant type), then at most one of them spoilt, so requests get past the checks.
  const nearlyRight = fc.tuple(fc.nat({ max: 4 }), fc.option(fc.tuple(fc.nat(), pair), { freq: 2 })).map(([slot, spoil]) => {
    const pairs: GenPair[] = route.params.map((name) => ({ name, value: { k: 'fit', i: slot }, form: 'string' }));
    if (spoil && pairs.length > 0) pairs[spoil[0] % pairs.length] = { ...spoil[1], name: pairs[spoil[0] % pairs.length]!.name };
    else if (spoil) pairs.push(spoil[1]);
    return pairs;
  });
  return fc.oneof({ weight: 1, arbitrary: hostile }, { weight: 1, arbitrary: nearlyRight });
}

function body(): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant<Body>({ k: 'none' }) },
    { weight: 4, arbitrary: fc.boolean().map((charset): Body => ({ k: 'form', charset })) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          { weight: 4, arbitrary: fc.constant('none' as const) },
          { weight: 1, arbitrary: fc.constantFrom('no-boundary' as const, 'truncated' as const, 'file' as const, 'garbage' as const) },
        )
        .map((flaw): Body => ({ k: 'multipart', flaw })),
    },
    {
      weight: 4,
      arbitrary: fc.oneof(
        { weight: 3, arbitrary: fc.constant<Body>({ k: 'json', shape: 'object', value: null }) },
        { weight: 3, arbitrary: fc.constant<Body>({ k: 'json', shape: 'records', value: null }) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value): Body => ({ k: 'json', shape: 'value', value })) },
        { weight: 1, arbitrary: fc.constant<Body>({ k: 'json', shape: 'broken', value: null }) },
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((bytes): Body => ({ k: 'raw', bytes })) },
  );
}

const contentType: fc.Arbitrary<ContentType> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<ContentType>({ k: 'right' }) },
  { weight: 1, arbitrary: fc.constant<ContentType>({ k: 'none' }) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.constantFrom(
          'text/plain',
          'application/json',
          'application/json; charset=utf-16',
          'application/x-www-form-urlencoded',
          'application/x-www-form-urlencoded; charset=evil',
          'multipart/form-data',
          'multipart/form-data; boundary=',
          'multipart/form-data; boundary="x"',
          'application/xml',
          'application/octet-stream',
          '*/*',
          ';',
          'application/json;;;',
          'APPLICATION/JSON',
          'application/vnd.api+json',
        ),
        hostileString,
      )
      .map((value): ContentType => ({ k: 'other', value })),
  },
);

const auth: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Auth>({ k: 'none' }) },
  { weight: 3, arbitrary: fc.record({ i: fc.nat(), spoil: fc.boolean() }).map((v): Auth => ({ k: 'basic-live', ...v })) },
  { weight: 1, arbitrary: fc.record({ user: val, pass: val }).map((v): Auth => ({ k: 'basic', ...v })) },
  { weight: 1, arbitrary: hostileString.map((value): Auth => ({ k: 'basic-raw', value })) },
  {
    weight: 4,
    arbitrary: fc
      .record({
        scheme: fc.oneof(
          {
            weight: 4,
            arbitrary: fc.constantFrom('Bearer', 'Zoho-oauthtoken', 'bearer', 'BEARER', 'Basic', 'Digest', 'Bearer ', '', 'DPoP', 'dpop'),
          },
          { weight: 1, arbitrary: hostileString },
        ),
        value: val,
      })
      .map((v): Auth => ({ k: 'scheme', ...v })),
  },
);

const headerName = fc.oneof(
  fc.constantFrom(
    'accept',
    'accept-language',
    'accept-encoding',
    'content-encoding',
    'x-forwarded-for',
    'x-forwarded-proto',
    'x-forwarded-host',
    'x-http-method-override',
    'x-real-ip',
    'if-none-match',
    'range',
    'expect',
    'origin',
    'cookie',
    'authorization',
    'x-csrf-token',
    'content-type',
    'dpop',
  ),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
  hostileString,
);

/** The methods a route is for: POST for those that answer every method with a refusal but POST. */
function mainMethods(route: FuzzRoute): string[] {
  if (route.methods.length === ANY_METHOD.length) return ['POST'];
  const main = route.methods.filter((m) => m !== 'HEAD');
  return main.length > 0 ? main : [...route.methods];
}

function request(route: FuzzRoute): fc.Arbitrary<GenRequest> {
  const pathParams = Object.fromEntries(
    [...route.path.matchAll(/:(\w+)/g)].map((m) => [
      m[1]!,
      fc.oneof({ weight: 4, arbitrary: fc.nat().map((i): Val => ({ k: 'fit', i })) }, { weight: 1, arbitrary: val }),
    ]),
  );
  return fc.record({
    method: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...mainMethods(route)) },
      { weight: 3, arbitrary: fc.constantFrom(...route.methods) },
      { weight: 1, arbitrary: fc.constantFrom(...ANY_METHOD, 'PROPFIND', 'FOO', 'get', 'M-SEARCH', 'CONNECT') },
    ),
    pathParams: fc.record(pathParams),
    params: pairs(route),
    placement: fc.oneof(
      { weight: 3, arbitrary: fc.constant('query' as const) },
      { weight: 4, arbitrary: fc.constant('body' as const) },
      { weight: 1, arbitrary: fc.constantFrom('split' as const, 'both' as const) },
    ),
    queryEncoding: fc.oneof(
      { weight: 4, arbitrary: fc.constant('proper' as const) },
      { weight: 1, arbitrary: fc.constant('raw' as const) },
    ),
    body: body(),
    contentType,
    chunked: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    auth,
    repeatAuth: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    session: fc.oneof(
      { weight: 5, arbitrary: fc.constant('owner' as const) },
      { weight: 2, arbitrary: fc.constant('admin' as const) },
      { weight: 3, arbitrary: fc.constantFrom('none' as const, 'stale' as const, 'garbage' as const) },
    ),
    csrfCookie: fc.oneof(
      { weight: 5, arbitrary: fc.constant('live' as const) },
      { weight: 1, arbitrary: fc.constantFrom('none' as const, 'garbage' as const) },
    ),
    rawCookie: fc.option(hostileString, { freq: 6 }),
    origin: fc.oneof(
      { weight: 6, arbitrary: fc.constant('none') },
      { weight: 3, arbitrary: fc.constantFrom('issuer', 'self', 'evil', 'null') },
      { weight: 1, arbitrary: hostileString },
    ),
    csrfHeader: fc.option(val, { freq: 2 }).map((v) => v ?? undefined),
    extraHeaders: fc.array(fc.tuple(headerName, hostileString), { maxLength: 2 }),
    wireHostile: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Turning a generated request into bytes, against the current world.

class Resolver {
  constructor(
    private readonly world: World,
    private readonly stale: readonly string[],
  ) {}

  value(v: Val, name: string): string {
    switch (v.k) {
      case 'lit':
        return v.s;
      case 'fit': {
        const fitting = Object.hasOwn(this.world.fitting, name) ? this.world.fitting[name] : undefined;
        return fitting && fitting.length > 0 ? fitting[v.i % fitting.length]! : this.world.live[v.i % this.world.live.length]!;
      }
      case 'live':
        return this.world.live[v.i % this.world.live.length]!;
      case 'stale':
        return this.stale.length === 0 ? '' : this.stale[v.i % this.stale.length]!;
      case 'spoilt': {
        const live = this.value({ k: 'fit', i: v.i }, name);
        if (v.at === 'prefix') return v.s + live;
        if (v.at === 'suffix') return live + v.s;
        return live.slice(0, Math.max(0, live.length - 1 - (v.s.length % 8)));
      }
    }
  }

  jsonValue(p: GenPair): unknown {
    const s = this.value(p.value, p.name);
    switch (p.form) {
      case 'string':
        // The management API's list fields are lists; give them one when the value fits.
        return p.name === 'redirect_uris' || p.name === 'js_domains' ? [s] : p.name === 'duration' && /^\d+$/.test(s) ? Number(s) : s;
      case 'array':
        return [s, s];
      case 'number':
        return Number.isNaN(Number(s)) ? s.length : Number(s);
      case 'null':
        return null;
      case 'bool':
        return s.length % 2 === 0;
      case 'object':
        return { [s]: s, nested: { value: s } };
    }
  }
}

/** Percent-encodes the UTF-8 bytes of a string (lone surrogates become U+FFFD, as any client would send them). */
function encode(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** Raw: only what would break the request line is escaped; `%`, `&`, `=`, unicode and the rest go as they are. */
function rawEncode(value: string): string {
  return value.replace(/[ \n#]/g, (c) => encode(c));
}

function toRaw(
  gen: GenRequest,
  route: FuzzRoute,
  world: World,
  stale: { values: readonly string[]; session: string | undefined },
  port: number,
): RawRequest {
  const r = new Resolver(world, stale.values);
  const path = route.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = r.value(gen.pathParams[name]!, name);
    return gen.queryEncoding === 'raw' ? rawEncode(value).replace(/\?/g, '%3F') : encode(value);
  });
  const enc = gen.queryEncoding === 'raw' ? rawEncode : encode;
  const query = inQuery(gen)
    .map((p) => `${enc(p.name)}=${enc(r.value(p.value, p.name))}`)
    .join('&');
  const target = query === '' ? path : `${path}?${query}`;

  const headers: Array<[string, string]> = [];
  const authorization = authHeader(gen.auth, r, world);
  if (authorization !== undefined) {
    headers.push(['authorization', authorization]);
    if (gen.repeatAuth) headers.push(['authorization', authorization]);
  }
  const cookies: string[] = [];
  const session = {
    none: undefined,
    owner: world.cookies.ownerSession,
    admin: world.cookies.adminSession,
    stale: stale.session ?? 'x',
    garbage: 'AAAA%00;;=',
  }[gen.session];
  if (session !== undefined) cookies.push(`gh_session=${session}`);
  if (gen.csrfCookie === 'live') cookies.push(`gh_csrf=${world.cookies.csrfBinding}`);
  if (gen.csrfCookie === 'garbage') cookies.push('gh_csrf=%zz"; gh_csrf=');
  if (gen.rawCookie !== undefined) cookies.push(gen.rawCookie);
  if (cookies.length > 0) headers.push(['cookie', cookies.join('; ')]);
  const origin =
    gen.origin === 'none'
      ? undefined
      : gen.origin === 'issuer'
        ? 'http://gatehouse.test'
        : gen.origin === 'self'
          ? `http://127.0.0.1:${port}`
          : gen.origin === 'evil'
            ? 'https://evil.example'
            : gen.origin;
  if (origin !== undefined) headers.push(['origin', origin]);
  if (gen.csrfHeader !== undefined) headers.push(['x-csrf-token', r.value(gen.csrfHeader, 'csrf')]);

  const { bytes, type } = bodyBytes(gen, r);
  const chosenType = gen.contentType.k === 'right' ? type : gen.contentType.k === 'other' ? gen.contentType.value : undefined;
  if (chosenType !== undefined && bytes !== undefined) headers.push(['content-type', chosenType]);
  // Never a second framing of the body or of the connection: that would make the answer a different request's.
  for (const [name, value] of gen.extraHeaders) {
    if (!/^(content-length|transfer-encoding|connection|host|upgrade|te|trailer|keep-alive)$/i.test(name.trim()))
      headers.push([name, value]);
  }
  const sent = gen.wireHostile
    ? headers
    : headers
        .filter(([name]) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
        // eslint-disable-next-line no-control-regex
        .map(([name, value]): [string, string] => [name, value.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '')]);
  return { method: gen.method, target, headers: sent, ...(bytes !== undefined ? { body: bytes } : {}), chunked: gen.chunked };
}

function inQuery(gen: GenRequest): GenPair[] {
  if (gen.placement === 'split') return gen.params.filter((_, i) => i % 2 === 0);
  return gen.placement === 'body' ? [] : gen.params;
}

function inBody(gen: GenRequest): GenPair[] {
  if (gen.placement === 'split') return gen.params.filter((_, i) => i % 2 === 1);
  return gen.placement === 'query' ? [] : gen.params;
}

function authHeader(a: Auth, r: Resolver, world: World): string | undefined {
  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
  switch (a.k) {
    case 'none':
      return undefined;
    case 'basic-live': {
      const c = world.credentials[a.i % world.credentials.length]!;
      return basic(encodeURIComponent(c.clientId), a.spoil ? 'wrong' : encodeURIComponent(c.clientSecret ?? ''));
    }
    case 'basic':
      return basic(r.value(a.user, 'client_id'), r.value(a.pass, 'client_secret'));
    case 'basic-raw':
      return `Basic ${a.value}`;
    case 'scheme':
      return `${a.scheme} ${r.value(a.value, 'token')}`;
  }
}

function bodyBytes(gen: GenRequest, r: Resolver): { bytes?: Buffer; type?: string } {
  const b = gen.body;
  const params = inBody(gen);
  const pairs = params.map((p) => [p.name, r.value(p.value, p.name)] as const);
  switch (b.k) {
    case 'none':
      return {};
    case 'form':
      return {
        bytes: Buffer.from(pairs.map(([n, v]) => `${encode(n)}=${encode(v)}`).join('&')),
        type: `application/x-www-form-urlencoded${b.charset ? '; charset=utf-8' : ''}`,
      };
    case 'multipart': {
      const boundary = 'fuzzboundary7MA4YWxkTrZu0gW';
      let text = pairs
        .map(([n, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${n.replace(/["\r\n]/g, '_')}"\r\n\r\n${v}\r\n`)
        .join('');
      if (b.flaw === 'file')
        text += `--${boundary}\r\ncontent-disposition: form-data; name="f"; filename="a.txt"\r\ncontent-type: text/plain\r\n\r\nhello\r\n`;
      if (b.flaw === 'garbage') text = `--${boundary}\r\nno headers here\r\n\r\n--${boundary}`;
      if (b.flaw !== 'truncated') text += `--${boundary}--\r\n`;
      return {
        bytes: Buffer.from(text, 'utf8'),
        type: b.flaw === 'no-boundary' ? 'multipart/form-data' : `multipart/form-data; boundary=${boundary}`,
      };
    }
    case 'json': {
      let value: unknown;
      if (b.shape === 'value') value = b.value;
      else if (b.shape === 'records') {
        // The sample APIs' write shape: {"data":[{…}]}, the parameters as a record's fields.
        value = { data: [Object.fromEntries(params.map((p) => [recordField(p.name), r.jsonValue(p)]))] };
      } else value = Object.fromEntries(params.map((p) => [p.name, r.jsonValue(p)]));
      const text = JSON.stringify(value) ?? 'null';
      return {
        bytes: Buffer.from(b.shape === 'broken' ? text.slice(0, Math.max(1, text.length - 1)) + ',' : text),
        type: 'application/json',
      };
    }
    case 'raw':
      return { bytes: Buffer.from(b.bytes, 'utf8'), type: 'application/octet-stream' };
  }
}

/** Parameter names turned into record field names, so record bodies reach validation with real fields. */
function recordField(name: string): string {
  const fields: Record<string, string> = { name: 'Last_Name', description: 'Description', scope: 'Summary', id: 'id', email: 'Email' };
  return Object.hasOwn(fields, name) ? fields[name]! : name;
}

// ---------------------------------------------------------------------------------------------------------------------
// Judging the answer.

interface Answer {
  status: number;
  error: string | undefined;
  description: string | undefined;
  location: string | undefined;
  text: string;
}

function readAnswer(res: RawResponse): Answer {
  const text = res.body.toString('utf8');
  let error: string | undefined;
  let description: string | undefined;
  if (/json/.test(res.headers['content-type'] ?? '')) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      if (typeof parsed.error === 'string') error = parsed.error;
      if (typeof parsed.error_description === 'string') description = parsed.error_description;
    } catch {
      // Not JSON after all: judged by its status.
    }
  }
  const location = res.headers.location;
  if (location !== undefined && error === undefined) {
    const url = new URL(location, 'http://gatehouse.test');
    error = url.searchParams.get('error') ?? new URLSearchParams(url.hash.slice(1)).get('error') ?? undefined;
    description = url.searchParams.get('error_description') ?? new URLSearchParams(url.hash.slice(1)).get('error_description') ?? undefined;
  }
  return { status: res.status, error, description, location, text };
}

/** A refusal: a client error, or an answer (a redirect to the application, a Zoho-style 200) that carries an `error`. */
function isRefusal(a: Answer): boolean {
  return (a.status >= 400 && a.status < 500) || a.error !== undefined;
}

/**
 * The refusals that must write, and why. Nothing else that refuses may change a row.
 */
const WRITING_REFUSALS: Array<{ why: string; applies(route: FuzzRoute, a: Answer): boolean; allows(diff: StoreDiff): boolean }> = [
  {
    why:
      'RFC 6749 §4.1.2: a code presented a second time is refused, and the tokens issued from it are revoked ' +
      '(src/core/grants/authorization-code.ts, replay)',
    applies: (route, a) => route.path === '/oauth/v2/token' && a.error === 'invalid_grant' && /already been used/.test(a.description ?? ''),
    allows: (diff) => onlyRowsRemoved(diff, ['access_tokens', 'refresh_tokens']),
  },
  {
    why:
      'RFC 8628 §3.5: a device polling while the user has not answered is told authorization_pending, and the poll ' +
      'time is kept so that a poll within the interval is told slow_down (src/core/grants/device-code.ts)',
    applies: (route, a) =>
      (route.path === '/oauth/v2/token' || route.path === '/oauth/v3/device/token') &&
      (a.error === 'authorization_pending' || a.error === 'slow_down'),
    allows: (diff) => onlyColumnsChanged(diff, 'device_authorizations', 'id', ['last_polled_at']),
  },
  {
    why:
      'The user rejected on the consent page: the refusal is the user’s answer, sent to the application as ' +
      'error=access_denied, and the page’s one-time interaction is used up so that it cannot be answered again',
    applies: (route, a) =>
      (route.path === '/oauth/v2/auth/consent' || route.path === '/oauth/v2/token/addextrascope/consent') &&
      a.status === 303 &&
      a.error === 'access_denied',
    allows: (diff) => onlyColumnsChanged(diff, 'interactions', 'id', ['consumed_at']),
  },
  {
    why:
      'A refused password sign-in is a security event: the audit log records the failure (src/core/users/sign-in.ts; ' +
      'a throttled one once per client address and quiet period, AuditLog.recordRefusal), and it writes nothing else',
    applies: (route, a) => route.path === '/signin' && (a.status === 401 || a.status === 403 || a.status === 429),
    allows: (diff) => onlyAuditEventsAdded(diff, ['user.signin.failed', 'user.signin.throttled']),
  },
  {
    why:
      'A refused sign-in is a security event: the audit log records the failure (src/core/mfa/passwordless-sign-in.ts), ' +
      'and the refusal writes nothing else',
    applies: (route, a) => route.path === '/signin/passkey' && (a.status === 401 || a.status === 429),
    allows: (diff) => onlyAuditEventsAdded(diff, ['user.signin.passkey.failed', 'user.signin.passkey.throttled']),
  },
];

function showRequest(raw: RawRequest): string {
  const clip = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s);
  return [
    `${raw.method} ${clip(raw.target)}`,
    ...raw.headers.map(([n, v]) => `${clip(n)}: ${clip(JSON.stringify(v))}`),
    raw.body === undefined ? '(no body)' : `body${raw.chunked ? ' (chunked)' : ''}: ${clip(JSON.stringify(raw.body.toString('utf8')))}`,
  ].join('\n  ');
}

// ---------------------------------------------------------------------------------------------------------------------

test('every registered route is in the fuzz table, and every entry is a registered route', async () => {
  const registered = await registeredRoutes();
  const table = FUZZ_ROUTES.flatMap((r) => r.methods.map((m) => `${m} ${r.path}`)).sort();
  assert.deepEqual(
    registered.filter((r) => !table.includes(r)),
    [],
    'routes the server registers that the fuzz table lacks: add them to FUZZ_ROUTES (test/hostile/fuzz-routes.ts)',
  );
  assert.deepEqual(
    table.filter((r) => !registered.includes(r)),
    [],
    'fuzz table entries the server does not register',
  );
});

/** Each deployment with every optional endpoint mounted (FUZZ_CONFIG), as `registeredRoutes` reads them. */
const describeEachFuzzedDeployment: typeof describeEachDeployment = (title, body) => describeEachDeployment(title, body, FUZZ_CONFIG);

describeEachFuzzedDeployment('hostile: fuzzing every public endpoint', (get) => {
  let builder: WorldBuilder | undefined;
  let world: World | undefined;
  let before: StoreSnapshot | undefined;
  let dirty = true;
  const stats = { requests: 0, refusals: 0, writes: 0, worlds: 0, allowed: 0 };

  /** One request: never a 5xx; and a refusal changes nothing (bar WRITING_REFUSALS). */
  async function probe(route: FuzzRoute, gen: GenRequest): Promise<void> {
    const h: Harness = get();
    builder ??= new WorldBuilder(h);
    if (dirty || !world || !before) {
      world = await builder.build(world);
      stats.worlds++;
      // The signing key is made on first use; made here, so that no fuzzed request is the first.
      await h.request('/oauth/v2/keys');
      before = await h.snapshot();
      dirty = false;
    }
    const port = Number(new URL(h.baseUrl).port);
    const raw = toRaw(gen, route, world, { values: builder.stale, session: builder.staleSession }, port);
    let res: RawResponse;
    try {
      res = await sendRaw(port, raw);
    } catch (err) {
      // CONNECT is node:http's to answer, not Fastify's: without a `connect` listener it closes the connection unanswered.
      dirty = true;
      if (raw.method === 'CONNECT' && /closed without an answer/.test(String(err))) {
        stats.requests++;
        return;
      }
      throw new Error(`No answer to\n  ${showRequest(raw)}\n${String(err)}`);
    }
    const after = await h.snapshot();
    const diff = diffSnapshots(before, after);
    const changed = Object.keys(diff).length > 0;
    // Kept up to date before anything is judged: the next request (a shrinking step after a failure, too) is compared
    // with the store as this one left it, and gets a fresh world if this one may have used part of it up.
    before = after;
    if (changed) {
      stats.writes++;
      dirty = true;
    }
    const answer = readAnswer(res);
    stats.requests++;
    if (process.env.FUZZ_DEBUG)
      process.stderr.write(
        `# ${answer.status} ${raw.method} ${raw.target.slice(0, 150)} ${answer.error ?? ''} ${answer.text.slice(0, 120).replace(/\s+/g, ' ')}\n`,
      );
    const told = () => `\n  ${showRequest(raw)}\nanswered ${answer.status} ${answer.text.slice(0, 600)}`;
    if (answer.status >= 500) throw new Error(`A server error for${told()}`);
    if (isRefusal(answer)) {
      stats.refusals++;
      if (changed) {
        const excuse = WRITING_REFUSALS.find((w) => w.applies(route, answer) && w.allows(diff));
        if (!excuse) throw new Error(`A refused request changed the store:${told()}\nchanges:\n${describeDiff(diff)}`);
        stats.allowed++;
      }
    }
  }

  for (const route of FUZZ_ROUTES) {
    test(`${route.methods.length === ANY_METHOD.length ? 'ANY' : route.methods.join(',')} ${route.path}`, async () => {
      // Each route starts from a fresh world, so that a seed replays the same way whatever ran before.
      dirty = true;
      await fc.assert(
        fc.asyncProperty(request(route), (gen) => probe(route, gen)),
        {
          numRuns: RUNS_PER_ROUTE,
          ...(SEED !== undefined ? { seed: SEED } : {}),
          ...(PATH !== undefined ? { path: PATH } : {}),
          // Shrinking a failure re-sends requests; bounded, so that a failing run still ends in reasonable time.
          interruptAfterTimeLimit: 120_000,
          markInterruptAsFailure: false,
          includeErrorInReport: true,
        },
      );
    });
  }

  test('the fuzzer got past the first checks', () => {
    // Not a property of the server: a guard that the generators still reach somewhere (live credentials accepted,
    // writes made, refusals that had to write), so that a change that made every request bounce is noticed.
    process.stderr.write(`# fuzz stats: ${JSON.stringify(stats)}\n`);
    assert.ok(stats.requests >= FUZZ_ROUTES.length, `requests were sent (${stats.requests})`);
    assert.ok(stats.writes > 0, 'some fuzzed requests succeeded in writing');
    assert.ok(stats.refusals > stats.requests / 4, 'most fuzzed requests are refused');
  });
});
