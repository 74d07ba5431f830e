import { CLI_CONTEXT } from '../../core/audit/audit-log.js';
import type { Command } from '../command.js';
import { withGatehouse } from '../context.js';

export const keysRotateCommand: Command = {
  words: ['keys', 'rotate'],
  summary: 'Add a new id_token signing key: published in the JWKS now, signing from six minutes on (--now: at once).',
  options: { now: { type: 'boolean', description: 'Sign with it at once (a key suspected compromised)' } },
  async run(values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const { kid, signsFrom } = await gatehouse.signingKeys.rotate({ immediately: values.now === true });
      await gatehouse.audit.record(CLI_CONTEXT, { type: 'signingkey.rotated', subject: kid });
      const from = new Date(signsFrom).toISOString();
      return {
        json: { kid, signs_from: from },
        text: `New signing key ${kid}, in the JWKS now, signing from ${from}. Older keys stay in the JWKS so tokens they signed still verify.`,
      };
    });
  },
};

export const keysListCommand: Command = {
  words: ['keys', 'list'],
  summary: 'List the id_token signing keys published in the JWKS, newest first, with the one that signs now.',
  options: {},
  async run(_values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const keys = (await gatehouse.signingKeys.list()).map((k) => ({ ...k, signsFrom: new Date(k.signsFrom).toISOString() }));
      return {
        json: { keys: keys.map((k) => ({ kid: k.kid, alg: k.alg, state: k.state, signs_from: k.signsFrom })) },
        text: keys.map((k) => `${k.kid}  ${k.alg}  ${k.state}${k.state === 'pending' ? ` from ${k.signsFrom}` : ''}`).join('\n'),
      };
    });
  },
};
