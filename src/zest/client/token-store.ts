import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ZestClientError } from './client-error.js';

/** What `gatehouse login` keeps between runs: the tokens, and enough to refresh them at the same server. */
export interface StoredTokens {
  /** The `<oauth2 name>` and the refresh URL they came from: the refresh token is only ever sent back there. */
  oauth2: string;
  refresh_url: string;
  client_id: string;
  client_secret?: string;
  access_token: string;
  refresh_token?: string;
  /** Epoch seconds. */
  expires_at: number;
  scope?: string;
  api_domain?: string;
}

/** `~/.config/gatehouse/zest/<oauth2 name>.json`, unless the user names a file. */
export function defaultTokenFile(oauth2Name: string): string {
  return join(homedir(), '.config', 'gatehouse', 'zest', `${oauth2Name.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}

export function readTokens(path: string): StoredTokens {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ZestClientError('zest.token_unavailable', `No tokens at ${path}: run gatehouse login first.`);
  }
  const parsed = JSON.parse(text) as Partial<StoredTokens>;
  if (typeof parsed.access_token !== 'string' || typeof parsed.expires_at !== 'number' || typeof parsed.refresh_url !== 'string') {
    throw new ZestClientError('zest.token_unavailable', `${path} does not hold tokens written by gatehouse login.`);
  }
  return parsed as StoredTokens;
}

/**
 * Writes the tokens readable by the owner only (0600, in a 0700 directory), atomically: a new file beside the old,
 * then a rename, so a reader never sees half a file and a crash never leaves the tokens world-readable.
 */
export function writeTokens(path: string, tokens: StoredTokens): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    // The mode given to open() is narrowed by the umask, never widened; chmod makes it exactly 0600.
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
}
