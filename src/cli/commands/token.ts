import type { Command } from '../command.js';
import { freshAccessToken } from '../../zest/client/tokens.js';
import { readSpec, ZEST_CLIENT_OPTIONS } from '../zest-spec.js';

export const tokenCommand: Command = {
  words: ['token'],
  summary: 'Print a fresh access token from gatehouse login (refreshed when near expiry), for scripts.',
  database: 'none',
  options: ZEST_CLIENT_OPTIONS,
  async run(values) {
    const { oauth2, tokenFile } = readSpec(values);
    const { tokens, refreshed } = await freshAccessToken(oauth2, tokenFile, Date.now);
    return { json: { access_token: tokens.access_token, expires_at: tokens.expires_at, refreshed }, text: tokens.access_token };
  },
};
