import type { GatehouseConfig } from '../config/config.js';

/** The `api_domain` of a token of this DC (spec §9: the user's DC); with one DC, the deployment's. */
export function apiDomainOf(dc: string | null, config: Pick<GatehouseConfig, 'apiDomain' | 'dataCenters'>): string {
  if (!config.dataCenters.several) return config.apiDomain;
  // A DC since removed from the configuration has no API domain of its own: the primary's is the one left.
  return (config.dataCenters.of(dc) ?? config.dataCenters.primary).apiDomain;
}
