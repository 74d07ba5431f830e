import type { ZestOAuth2 } from '../model.js';
import { ZestClientError } from './client-error.js';
import { buildStageRequest, callStage } from './stage-request.js';

/**
 * Calls the authentication URL with the access token where its `<authentication>` says (by default Zoho's
 * `Authorization: Zoho-oauthtoken <token>` header) and returns the user it describes.
 */
export async function whoAmI(oauth2: ZestOAuth2, accessToken: string): Promise<Record<string, unknown>> {
  const stage = oauth2.authenticationUrl;
  if (!stage) throw new ZestClientError('zest.request_failed', `The <oauth2 name="${oauth2.name}"> has no <authentication-url> to ask.`);
  const { location, name } = stage.operation.authentication ?? { location: 'header', name: 'Authorization' };
  if (location === 'header') {
    const request = buildStageRequest(stage, {});
    return callStage(stage, { ...request, headers: { ...request.headers, [name]: `Zoho-oauthtoken ${accessToken}` } });
  }
  return callStage(stage, buildStageRequest(stage, { [name]: accessToken }));
}
