import { bareHttpCases, gatehouseCases, oidcProviderCases, type GatehouseCaseKind, type Ratio } from '../cases.js';
import { freshSqlite } from '../databases.js';
import { startDeployment } from '../deployment.js';
import { compareInRounds } from '../rounds.js';
import { startInChildProcess } from '../servers/child-process.js';
import type { OidcProviderFixture } from '../servers/oidc-provider.js';
import type { Suite } from './suite.js';

const KINDS: GatehouseCaseKind[] = ['client-credentials', 'refresh-token', 'introspection', 'user-info', 'crm-record'];

/** Gatehouse at its defaults (one node, SQLite) against oidc-provider and the bare node:http floor. */
export const defaultsSuite: Suite = {
  name: 'defaults',
  about: 'Gatehouse (one node, SQLite) ÷ oidc-provider (in memory) and ÷ bare node:http',
  async run(settings, teardown) {
    const { fixture } = await startDeployment(await freshSqlite(teardown), teardown);
    const { fixture: oidc } = await startInChildProcess<OidcProviderFixture>('oidc-provider', [], teardown);
    const { fixture: bare } = await startInChildProcess<{ baseUrl: string }>('bare-http', [fixture.lead.body], teardown);

    const gatehouse = gatehouseCases(KINDS, 'Gatehouse', fixture);
    const oidcCases = oidcProviderCases(oidc);
    const floor = bareHttpCases(bare.baseUrl);
    const ratios: Ratio[] = [
      {
        label: 'Gatehouse client_credentials ÷ oidc-provider client_credentials',
        numerator: gatehouse['client-credentials'],
        denominator: oidcCases.clientCredentials,
        target: 2.0,
        together: true,
      },
      {
        label: 'Gatehouse introspection ÷ oidc-provider introspection',
        numerator: gatehouse.introspection,
        denominator: oidcCases.introspection,
        together: true,
      },
      ...KINDS.map((kind): Ratio => {
        // A protected read compares with the floor answering the same JSON to a GET; the rest with the POST floor.
        const read = kind === 'crm-record';
        return {
          label: `${gatehouse[kind].label} ÷ bare node:http${read ? ' (same JSON)' : ''}`,
          numerator: gatehouse[kind],
          denominator: read ? floor.get : floor.post,
          ...(read ? { target: 0.6 } : {}),
          together: read,
        };
      }),
    ];
    const measuredGatehouse = KINDS.map((kind) => gatehouse[kind]);
    await compareInRounds(
      {
        cases: [...measuredGatehouse, oidcCases.clientCredentials, oidcCases.introspection, floor.post, floor.get],
        ratios,
        latencyTarget: { ms: 20, cases: measuredGatehouse },
      },
      settings,
    );
  },
};
