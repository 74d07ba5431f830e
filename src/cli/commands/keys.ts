import { CLI_CONTEXT } from '../../core/audit/audit-log.js';
import { ManagementError } from '../../core/errors/management-error.js';
import { DEFAULT_SIGNING_ALGORITHM, isSigningAlgorithm, SIGNING_ALGORITHMS } from '../../core/oidc/signing-algorithms.js';
import { stringOption, type Command } from '../command.js';
import { withGatehouse } from '../context.js';

export const keysRotateCommand: Command = {
  words: ['keys', 'rotate'],
  summary: 'Add a new signing key of one algorithm: published in the JWKS now, signing from six minutes on (--now: at once).',
  options: {
    alg: { type: 'string', description: `Which algorithm's key: ${SIGNING_ALGORITHMS.join(' | ')} (default ${DEFAULT_SIGNING_ALGORITHM})` },
    now: { type: 'boolean', description: 'Sign with it at once (a key suspected compromised)' },
  },
  validate(values) {
    const alg = stringOption(values, 'alg');
    return alg === undefined || isSigningAlgorithm(alg)
      ? []
      : [new ManagementError('key.alg_invalid', `--alg must be one of ${SIGNING_ALGORITHMS.join(', ')}.`, 400, 'alg')];
  },
  async run(values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const given = stringOption(values, 'alg');
      const { kid, alg, signsFrom } = await gatehouse.signingKeys.rotate({
        alg: isSigningAlgorithm(given) ? given : DEFAULT_SIGNING_ALGORITHM,
        immediately: values.now === true,
      });
      await gatehouse.audit.record(CLI_CONTEXT, { type: 'signingkey.rotated', subject: kid, detail: alg });
      const from = new Date(signsFrom).toISOString();
      return {
        json: { kid, alg, signs_from: from },
        text: `New ${alg} signing key ${kid}, in the JWKS now, signing from ${from}. Older keys stay in the JWKS so tokens they signed still verify.`,
      };
    });
  },
};

export const keysListCommand: Command = {
  words: ['keys', 'list'],
  summary: 'List the signing keys published in the JWKS, newest first, with their algorithm and the one of each that signs now.',
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
