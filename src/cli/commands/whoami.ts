import type { Command } from '../command.js';
import { freshAccessToken } from '../../zest/client/tokens.js';
import { whoAmI } from '../../zest/client/whoami.js';
import { readSpec, ZEST_CLIENT_OPTIONS } from '../zest-spec.js';

export const whoamiCommand: Command = {
  words: ['whoami'],
  summary: "Ask the ZEST document's authentication URL who the stored token belongs to.",
  database: 'none',
  options: ZEST_CLIENT_OPTIONS,
  async run(values) {
    const { oauth2, tokenFile } = readSpec(values);
    const { tokens } = await freshAccessToken(oauth2, tokenFile, Date.now);
    const user = await whoAmI(oauth2, tokens.access_token);
    // The fields the document promises, in its order; whatever else the server sent after them.
    const documented = oauth2.authenticationUrl?.operation.responses.find((r) => r.status === '200')?.content?.structure.properties ?? [];
    const names = [...new Set([...documented.flatMap((p) => (p.name && p.name in user ? [p.name] : [])), ...Object.keys(user)])];
    return { json: { user }, text: names.map((name) => `${name}: ${String(user[name])}`).join('\n') };
  },
};
