import { CLI_CONTEXT } from '../../core/audit/audit-log.js';
import type { Command } from '../command.js';
import { withGatehouse } from '../context.js';

export const keysRotateCommand: Command = {
  words: ['keys', 'rotate'],
  summary: 'Add a new id_token signing key; it signs from now on (servers pick it up within a minute).',
  options: {},
  async run(_values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const kid = await gatehouse.signingKeys.rotate();
      await gatehouse.audit.record(CLI_CONTEXT, { type: 'signingkey.rotated', subject: kid });
      return { json: { kid }, text: `New signing key ${kid}. Older keys stay in the JWKS so tokens they signed still verify.` };
    });
  },
};

export const keysListCommand: Command = {
  words: ['keys', 'list'],
  summary: 'List the id_token signing keys published in the JWKS, newest (the one that signs) first.',
  options: {},
  async run(_values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const { keys } = await gatehouse.signingKeys.jwks();
      return {
        json: { keys: keys.map((k) => ({ kid: k.kid, alg: k.alg })) },
        text: keys.map((k, i) => `${k.kid}  ${k.alg}${i === 0 ? '  (signing)' : ''}`).join('\n'),
      };
    });
  },
};
