import type { Harness } from '../support/harness.js';

/** Calls the sample APIs as a Zoho SDK would: a token in `Authorization: Zoho-oauthtoken`, JSON bodies. */
export class ApiClient {
  constructor(
    private readonly h: Harness,
    readonly token: string,
  ) {}

  static async forScopes(h: Harness, scope: string): Promise<ApiClient> {
    const client = await h.client(await h.user(), 'self');
    return new ApiClient(h, (await h.exchange(client, await h.selfClientCode(client.clientId, scope))).access_token);
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(this.h.baseUrl + path, {
      method,
      headers: {
        authorization: `Zoho-oauthtoken ${this.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : (JSON.parse(text) as Record<string, any>),
    };
  }
}
