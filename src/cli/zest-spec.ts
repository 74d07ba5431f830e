import { readFileSync } from 'node:fs';
import type { ZestOAuth2 } from '../zest/model.js';
import { parseZestSchema } from '../zest/parse-xml.js';
import { defaultTokenFile } from '../zest/client/token-store.js';
import { requireOption, stringOption, type OptionSpec, type OptionValues } from './command.js';

/** The options every ZEST-driven client command takes. */
export const ZEST_CLIENT_OPTIONS: Record<string, OptionSpec> = {
  spec: { type: 'string', description: 'A ZEST document with an <oauth2> element', required: true },
  'token-file': { type: 'string', description: 'Where the tokens are kept (default ~/.config/gatehouse/zest/<oauth2 name>.json)' },
  'allow-mixed-origins': { type: 'boolean', description: 'Accept stage URLs on different origins' },
};

/** The first `<oauth2>` of the document named by --spec, and the token file to use with it. */
export function readSpec(values: OptionValues): { oauth2: ZestOAuth2; tokenFile: string } {
  const path = requireOption(values, 'spec');
  const schema = parseZestSchema(readFileSync(path, 'utf8'), { allowMixedOrigins: values['allow-mixed-origins'] === true });
  const oauth2 = schema.oauth2[0]!;
  return { oauth2, tokenFile: stringOption(values, 'token-file') ?? defaultTokenFile(oauth2.name) };
}
