import type { FastifyInstance, FastifyRequest } from 'fastify';
import { startDeviceAuthorization } from '../../core/device/device-authorization.js';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { methodNotAllowed } from '../../core/errors/oauth-error.js';
import { zohoDeviceTokenGrant } from '../../core/grants/device-code.js';
import { GrantRegistry } from '../../core/grants/index.js';
import { handleTokenRequest } from '../../core/token-endpoint.js';
import type { Gatehouse } from '../../gatehouse.js';
import { readBasicCredentials } from '../basic-auth.js';
import { offerNextNonce, presentedProof } from '../dpop-proof.js';
import { requestDataCenter } from '../data-center.js';
import { requestParams } from '../request-params.js';

/**
 * The device authorization grant's endpoints (RFC 8628; Zoho spec §3.5). Zoho's pair, `/oauth/v3/device/code` and
 * `/oauth/v3/device/token`, answers as Zoho does (times in milliseconds, the poll's code named `code`); RFC 8628's
 * `/oauth/device_authorization` answers in seconds, and its poll is the token endpoint's
 * `urn:ietf:params:oauth:grant-type:device_code`. Both start the same authorization, which the user answers at
 * `/oauth/v3/device`.
 */
export function deviceRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const { dataCenters } = gatehouse.config;
  // The page is on the accounts server the device called: a user of another DC answers there too (spec §3.5).
  const pages = new Map(dataCenters.all.map((dc) => [dc, dc.issuer + ENDPOINT_PATHS.deviceVerification]));
  const postParams = (request: FastifyRequest) => {
    if (request.method !== 'POST') throw methodNotAllowed('device endpoint');
    return requestParams(request, gatehouse.config.maxParameterLength);
  };
  /** One initiation endpoint: Zoho's names the page `verification_url` and counts milliseconds; RFC 8628's, seconds. */
  const initiation = (path: string, dialect: { errorChannel: 'token' | 'standard'; pageField: string; msPerUnit: number }) =>
    app.all(path, { config: { errorChannel: dialect.errorChannel } }, async (request) => {
      const at = requestDataCenter(request, dataCenters);
      const basic = readBasicCredentials(request.headers.authorization);
      const started = await startDeviceAuthorization(postParams(request), basic, at, gatehouse, request.ip);
      const page = pages.get(at)!;
      return {
        device_code: started.deviceCode,
        user_code: started.userCode,
        [dialect.pageField]: page,
        verification_uri_complete: `${page}?${new URLSearchParams({ user_code: started.userCode })}`,
        expires_in: started.expiresInMs / dialect.msPerUnit,
        interval: started.intervalMs / dialect.msPerUnit,
      };
    });
  // Zoho's paths answer errors in the configured style, as its token endpoint does; RFC 8628's always the RFC way.
  initiation(ENDPOINT_PATHS.zohoDeviceCode, { errorChannel: 'token', pageField: 'verification_url', msPerUnit: 1 });
  initiation(ENDPOINT_PATHS.deviceAuthorization, { errorChannel: 'standard', pageField: 'verification_uri', msPerUnit: 1000 });

  const zohoPoll = new GrantRegistry([zohoDeviceTokenGrant]);
  app.all(ENDPOINT_PATHS.zohoDeviceToken, { config: { errorChannel: 'token' } }, async (request, reply) => {
    const at = requestDataCenter(request, dataCenters);
    const proof = presentedProof(request, at.issuer, ENDPOINT_PATHS.zohoDeviceToken);
    const response = await handleTokenRequest(
      postParams(request),
      readBasicCredentials(request.headers.authorization),
      zohoPoll,
      gatehouse,
      at,
      proof,
      request.ip,
    );
    if (proof) offerNextNonce(reply, gatehouse.dpop);
    return response;
  });
}
