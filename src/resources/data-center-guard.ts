import type { FastifyInstance } from 'fastify';
import { accessTokenOf, ResourceError } from '@gatehouse/resource-server';
import { findLiveAccessTokenRecord } from '../core/tokens/token-lookup.js';
import type { Gatehouse } from '../gatehouse.js';
import { apiDataCenter } from '../http/data-center.js';

/**
 * With several DCs, a token is accepted only at its own DC's API domain (spec §9: clients call the `api_domain` of
 * the token response): a token of an `eu` user presented at the `us` API origin is Zoho's 401 `INVALID_TOKEN`, before
 * the route runs. Installed only then, so a one-DC deployment's API path does nothing more. The token row it reads is
 * the one the route's guard reads next, which the store's read cache then answers.
 */
export function dataCenterGuard(api: FastifyInstance, gatehouse: Pick<Gatehouse, 'config' | 'lookup'>): void {
  const { dataCenters } = gatehouse.config;
  if (!dataCenters.several) return;
  api.addHook('preHandler', async (request) => {
    const presented = accessTokenOf(request.headers.authorization);
    // No token, or a dead one: the route's guard gives its own answer.
    if (presented === undefined) return;
    const record = await findLiveAccessTokenRecord(presented, gatehouse.lookup);
    if (record && !dataCenters.isAt(record.dc ?? null, apiDataCenter(request, dataCenters))) throw new ResourceError('INVALID_TOKEN');
  });
}
