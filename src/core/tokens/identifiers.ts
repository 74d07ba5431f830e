import { randomBytes, randomFillSync, randomInt } from 'node:crypto';

/**
 * The shapes of Gatehouse's identifiers (spec decision 4). Every one is drawn from the CSPRNG; the opaque tokens carry
 * 256 bits of entropy, so a fast keyed hash is the right way to store them (see `credential-hasher.ts`).
 */

/**
 * CSPRNG output drawn 4 KiB at a time and handed out in slices, each byte once. A call into the CSPRNG costs about
 * 5 µs on the benchmark machine whether it returns 32 bytes or 4096, so one per token was a tenth of the token
 * endpoint's time. (Node's `randomUUID` keeps such a cache too.)
 */
const entropy = { pool: Buffer.alloc(4096), used: 4096 };
function randomHex(bytes: number): string {
  if (entropy.used + bytes > entropy.pool.length) {
    randomFillSync(entropy.pool);
    entropy.used = 0;
  }
  const hex = entropy.pool.toString('hex', entropy.used, entropy.used + bytes);
  entropy.used += bytes;
  return hex;
}

/**
 * Codes, access and refresh tokens: `1000.<32 hex>.<32 hex>`. The first 12 hex digits are the issue time in
 * milliseconds, the other 52 (208 bits) random. The time leads the key the credential is stored under
 * (`CredentialHasher.storageKey`), so the indexes of tokens and codes grow at their end: a commit of several new tokens
 * touches one index page, not one random page each. Measured on SQLite: 13.5 -> 8.4 pages written per commit of five
 * tokens. The time says nothing the token's holder does not know.
 */
export function newOpaqueToken(): string {
  return `1000.${issueTimeHex(Date.now())}${randomHex(10)}.${randomHex(16)}`;
}

const ISSUE_TIME_DIGITS = 12;
function issueTimeHex(ms: number): string {
  return ms.toString(16).padStart(ISSUE_TIME_DIGITS, '0');
}

/** The issue-time digits of a code or token (see `newOpaqueToken`). */
export function issueTimePrefix(value: string): string {
  return value.slice(5, 5 + ISSUE_TIME_DIGITS);
}

/** When Gatehouse began writing the issue time into codes and tokens; before, all 64 digits were random. */
const ISSUE_TIMES_SINCE = Date.UTC(2026, 10, 24);
/** Allowance for this clock having been set back since a token was minted. */
const CLOCK_SLACK_MS = 24 * 3_600_000;

/**
 * Whether a code or token can have been minted with its issue time: the digits read as a time since this format
 * began and not in the future. A token minted before carries random digits there, which read as such a time only about
 * once in ten thousand.
 */
export function mayCarryIssueTime(value: string): boolean {
  const ms = parseInt(issueTimePrefix(value), 16);
  return ms >= ISSUE_TIMES_SINCE && ms <= Date.now() + CLOCK_SLACK_MS;
}

const OPAQUE_TOKEN = /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/;
/** A cheap shape check that spares the store a lookup for anything that cannot be ours. */
export function looksLikeOpaqueToken(value: string): boolean {
  return OPAQUE_TOKEN.test(value);
}

/**
 * A compact JWS (a JWT access token, RFC 9068) of at most 4096 characters, checked as cheaply: only JWTs the store
 * holds are ever accepted, so the shape is all that is worth testing before a lookup.
 */
const COMPACT_JWS = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
export function looksLikeJwt(value: string): boolean {
  return value.length <= 4096 && COMPACT_JWS.test(value);
}

const CLIENT_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Client IDs: `1000.` + 30 upper-case alphanumerics. */
export function newClientId(): string {
  let id = '1000.';
  for (let i = 0; i < 30; i++) id += CLIENT_ID_ALPHABET[randomInt(CLIENT_ID_ALPHABET.length)];
  return id;
}

const CLIENT_ID = /^1000\.[A-Z0-9]{30}$/;
/** A shape check for a client ID taken from somewhere other than a client's own request (a link, a `return_to`). */
export function looksLikeClientId(value: string): boolean {
  return CLIENT_ID.test(value);
}

/** Client secrets: 42 lower-case hex characters (168 bits). */
export function newClientSecret(): string {
  return randomBytes(21).toString('hex');
}

/** ZUIDs are numeric; twelve digits with no leading zero stay within JavaScript's safe integers. */
export function newZuid(): string {
  return String(randomInt(100_000_000_000, 999_999_999_999));
}

/** Organisation IDs have the shape of Zoho's zsoid, eleven digits (`60012345678`, spec §3.4). */
export function newOrgId(): string {
  return String(randomInt(10_000_000_000, 99_999_999_999));
}
