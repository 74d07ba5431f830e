import type { FastifyInstance, FastifyRequest } from 'fastify';
import { startDeviceAuthorization, type StartedDeviceAuthorization } from '../../core/device/device-authorization.js';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { invalidRequest } from '../../core/errors/oauth-error.js';
import { zohoDeviceTokenGrant } from '../../core/grants/device-code.js';
import { GrantRegistry } from '../../core/grants/index.js';
import { handleTokenRequest } from '../../core/token-endpoint.js';
import type { Gatehouse } from '../../gatehouse.js';
import { readBasicCredentials } from '../basic-auth.js';
import { requestParams } from '../request-params.js';

/**
 * The device authorization grant's endpoints (RFC 8628; Zoho spec §3.5). Zoho's pair, `/oauth/v3/device/code` and
 * `/oauth/v3/device/token`, answers as Zoho does (times in milliseconds, the poll's code named `code`); RFC 8628's
 * `/oauth/device_authorization` answers in seconds, and its poll is the token endpoint's
 * `urn:ietf:params:oauth:grant-type:device_code`. Both start the same authorization, which the user answers at
 * `/oauth/v3/device`.
 */
export function deviceRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const verificationUrl = gatehouse.config.issuer + ENDPOINT_PATHS.deviceVerification;
  const complete = (userCode: string) => `${verificationUrl}?${new URLSearchParams({ user_code: userCode })}`;
  const start = (request: FastifyRequest): Promise<StartedDeviceAuthorization> => {
    if (request.method !== 'POST') throw invalidRequest('method_not_allowed', 'This endpoint accepts POST requests only.');
    const params = requestParams(request, gatehouse.config.maxParameterLength);
    return startDeviceAuthorization(params, readBasicCredentials(request.headers.authorization), gatehouse);
  };
  // Zoho's paths answer errors in the configured style, as its token endpoint does; RFC 8628's always the RFC way.
  const zohoPath = { config: { errorChannel: 'token' as const } };
  const standardPath = { config: { errorChannel: 'standard' as const } };

  app.all(ENDPOINT_PATHS.zohoDeviceCode, zohoPath, async (request) => {
    const started = await start(request);
    return {
      device_code: started.deviceCode,
      user_code: started.userCode,
      verification_url: verificationUrl,
      verification_uri_complete: complete(started.userCode),
      expires_in: started.expiresInMs,
      interval: started.intervalMs,
    };
  });

  app.all(ENDPOINT_PATHS.deviceAuthorization, standardPath, async (request) => {
    const started = await start(request);
    return {
      device_code: started.deviceCode,
      user_code: started.userCode,
      verification_uri: verificationUrl,
      verification_uri_complete: complete(started.userCode),
      expires_in: started.expiresInMs / 1000,
      interval: started.intervalMs / 1000,
    };
  });

  const zohoPoll = new GrantRegistry([zohoDeviceTokenGrant]);
  app.all(ENDPOINT_PATHS.zohoDeviceToken, zohoPath, async (request) => {
    if (request.method !== 'POST') throw invalidRequest('method_not_allowed', 'This endpoint accepts POST requests only.');
    const params = requestParams(request, gatehouse.config.maxParameterLength);
    return handleTokenRequest(params, readBasicCredentials(request.headers.authorization), zohoPoll, gatehouse);
  });
}
