import { gatehouseCases, type GatehouseCaseKind } from '../cases.js';
import { compareInRounds } from '../rounds.js';
import type { GatehouseFixture } from '../servers/gatehouse.js';
import type { LoadSettings } from '../settings.js';

/** One side of a comparison between two Gatehouse deployments; the load is spread over `nodeUrls` (default: the first node). */
export interface Side {
  name: string;
  fixture: GatehouseFixture;
  nodeUrls?: string[];
}

/** A token and a protected read: what the production-configuration rows compare. */
export type ComparedKind = Extract<GatehouseCaseKind, 'client-credentials' | 'crm-record'>;
const COMPARED: ComparedKind[] = ['client-credentials', 'crm-record'];

const SHORT_NAMES: Record<ComparedKind, string> = { 'client-credentials': 'client_credentials', 'crm-record': 'protected read' };

/** `top` ÷ `bottom` for a token and a protected read, each pair measured together in alternating slices. */
export async function compareDeployments(
  top: Side,
  bottom: Side,
  targets: Partial<Record<ComparedKind, number>>,
  settings: LoadSettings,
): Promise<void> {
  const topCases = gatehouseCases(COMPARED, top.name, top.fixture, top.nodeUrls);
  const bottomCases = gatehouseCases(COMPARED, bottom.name, bottom.fixture, bottom.nodeUrls);
  await compareInRounds(
    {
      cases: COMPARED.flatMap((kind) => [topCases[kind], bottomCases[kind]]),
      ratios: COMPARED.map((kind) => ({
        label: `${SHORT_NAMES[kind]}: ${top.name} ÷ ${bottom.name}`,
        numerator: topCases[kind],
        denominator: bottomCases[kind],
        ...(targets[kind] === undefined ? {} : { target: targets[kind] }),
        together: true,
      })),
    },
    settings,
  );
}
