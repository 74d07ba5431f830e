import type { FastifyRequest } from 'fastify';
import type { DataCenter, DataCenters } from '../core/datacenters/data-centers.js';

/**
 * Which DC a request is for (spec §9): the one whose accounts server is the origin the request was sent to, as the
 * server reads it (scheme and Host, or the trusted proxy's X-Forwarded-Proto and X-Forwarded-Host). A host that names
 * no DC (an address, a health check, `localhost`) is the primary's. With one DC, nothing is read or built.
 */
export function requestDataCenter(request: FastifyRequest, dcs: DataCenters): DataCenter {
  return dcs.several ? dcs.forAccountsOrigin(requestOrigin(request)) : dcs.primary;
}

/** The DC whose API domain the request was sent to (the sample APIs); the primary for any other host. */
export function apiDataCenter(request: FastifyRequest, dcs: DataCenters): DataCenter {
  return dcs.several ? dcs.forApiOrigin(requestOrigin(request)) : dcs.primary;
}

function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host.toLowerCase()}`;
}
