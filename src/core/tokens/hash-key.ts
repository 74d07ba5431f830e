import { randomBytes } from 'node:crypto';
import type { SettingsRepository } from './settings-repository.js';

const SETTING = 'credential_hash_key';

/**
 * The key under which tokens, codes and client secrets are hashed. Set `GATEHOUSE_SECRET_KEY` (32+ bytes, base64 or
 * hex) to keep it outside the database; otherwise one is generated on first start and kept in the store, which makes
 * a first run work out of the box. Changing the key invalidates every stored token, code and client secret.
 */
export async function resolveHashKey(
  settings: SettingsRepository,
  configured: string | undefined,
): Promise<{ key: Buffer; source: 'configured' | 'stored' }> {
  if (configured !== undefined) return { key: decodeKey(configured), source: 'configured' };
  const stored = await settings.getOrCreate(SETTING, randomBytes(32).toString('base64'));
  return { key: Buffer.from(stored, 'base64'), source: 'stored' };
}

function decodeKey(value: string): Buffer {
  const key = /^[0-9a-f]+$/i.test(value) && value.length % 2 === 0 ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length < 32) throw new Error('GATEHOUSE_SECRET_KEY must decode to at least 32 bytes (e.g. `openssl rand -base64 32`).');
  return key;
}
