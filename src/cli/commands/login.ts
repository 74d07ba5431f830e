import { listOption, requireOption, stringOption, UsageError, type Command } from '../command.js';
import { login, loginScopes } from '../../zest/client/login.js';
import { openBrowser } from '../../zest/client/open-browser.js';
import { readSpec, ZEST_CLIENT_OPTIONS } from '../zest-spec.js';

const DEFAULT_TIMEOUT_SECONDS = 300;

export const loginCommand: Command = {
  words: ['login'],
  summary: 'Sign in through the server a ZEST document describes (browser, loopback redirect, PKCE); keeps the tokens.',
  // A client of some Gatehouse (or Zoho) server, not of this database.
  database: 'none',
  options: {
    ...ZEST_CLIENT_OPTIONS,
    'client-id': { type: 'string', description: 'The client ID (register http://127.0.0.1/callback as its redirect URI)', required: true },
    'client-secret': { type: 'string', description: 'The client secret, unless the client is public' },
    scope: { type: 'string', multiple: true, description: 'Scopes to ask for, comma-separated or repeated (plus what whoami needs)' },
    'no-browser': { type: 'boolean', description: 'Only print the URL to open (headless machines)' },
    timeout: { type: 'string', description: `Seconds to wait for the browser (default ${DEFAULT_TIMEOUT_SECONDS})` },
  },
  async run(values, _settings, output) {
    const { oauth2, tokenFile } = readSpec(values);
    const timeout = Number(stringOption(values, 'timeout') ?? DEFAULT_TIMEOUT_SECONDS);
    if (!Number.isInteger(timeout) || timeout <= 0) throw new UsageError('--timeout must be a whole number of seconds');
    // Under --json, stdout carries only the final object; the URL goes to stderr.
    const say = (line: string) => (output.json ? process.stderr : process.stdout).write(`${line}\n`);
    const tokens = await login(oauth2, {
      clientId: requireOption(values, 'client-id'),
      clientSecret: stringOption(values, 'client-secret'),
      scopes: loginScopes(oauth2, listOption(values, 'scope')),
      tokenFile,
      timeoutMs: timeout * 1000,
      now: Date.now,
      async present(url) {
        const opened = values['no-browser'] !== true && (await openBrowser(url));
        say(opened ? `Your browser should open; if it does not, open this URL:\n${url}` : `Open this URL to sign in:\n${url}`);
      },
    });
    return {
      json: {
        token_file: tokenFile,
        scope: tokens.scope ?? null,
        expires_at: tokens.expires_at,
        refresh_token: tokens.refresh_token !== undefined,
      },
      text: `Signed in to ${oauth2.name}. Tokens saved to ${tokenFile}${tokens.refresh_token ? '' : ' (no refresh token: the access token lasts until it expires)'}.`,
    };
  },
};
