import { writeFileSync } from 'node:fs';
import { GrantRegistry } from '../../core/grants/index.js';
import { ScopeRegistry } from '../../core/scopes/registry.js';
import { describeServer } from '../../zest/describe-server.js';
import { writeSchemaXml } from '../../zest/write-xml.js';
import { stringOption, type Command } from '../command.js';

export const specExportCommand: Command = {
  words: ['spec', 'export'],
  summary: 'Write the ZEST <authentication-schema> of this server (as served at /.well-known/zest/authentication-schema.xml).',
  // Describes the server from the settings alone.
  database: 'none',
  options: { out: { type: 'string', description: 'Write to this file instead of stdout' } },
  async run(values, settings) {
    // The registries `serve` builds, without opening the database: the description needs no stored data.
    const document = writeSchemaXml(describeServer({ config: settings.config, scopes: new ScopeRegistry(), grants: new GrantRegistry() }));
    const out = stringOption(values, 'out');
    if (out === undefined) return { json: { document }, text: document.trimEnd() };
    writeFileSync(out, document);
    return { json: { out }, text: `Wrote the ZEST description of ${settings.config.issuer} to ${out}.` };
  },
};
