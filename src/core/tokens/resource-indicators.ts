import type { GatehouseConfig } from '../config/config.js';
import { invalidTarget } from '../errors/oauth-error.js';
import type { RequestParams } from '../params/request-params.js';

/**
 * RFC 8707 resource indicators. The resources a client may name are every data centre's `api_domain` (the sample
 * APIs) and the deployment's `GATEHOUSE_RESOURCES`; anything else is `invalid_target`. Lists of resources (what a code
 * or refresh token grants, a token's audience) are kept as space-separated URIs, as stored: a URI holds no unencoded
 * space. A request that names no resource costs one parameter lookup here and changes nothing.
 *
 * The grants read `resource` without listing it among their documented parameters: those are Zoho's dialect, which
 * the ZEST export describes with one value per argument, and `resource` is a standard parameter that may repeat.
 */
export class ResourceIndicators {
  /** Each known resource by its normalised spelling (`URL.href`), mapped to the spelling configured. */
  private readonly known = new Map<string, string>();

  constructor(config: Pick<GatehouseConfig, 'dataCenters' | 'resources'>) {
    for (const resource of [...config.dataCenters.all.map((dc) => dc.apiDomain), ...config.resources]) {
      this.known.set(normalised(resource)!, resource);
    }
  }

  /**
   * The resources a request names (`resource`, maybe repeated; RFC 8707 §2), as configured and each once, space
   * separated; undefined when it names none. Each must be an absolute URI without a fragment that this server knows.
   */
  requested(params: RequestParams): string | undefined {
    const values = params.all('resource');
    if (values.length === 0) return undefined;
    const named = new Set<string>();
    for (const value of values) {
      if (value.includes('#')) throw invalidTarget('resource_unknown', 'A resource must not have a fragment (RFC 8707 §2).');
      const resource = this.known.get(normalised(value) ?? '');
      if (resource === undefined) throw invalidTarget('resource_unknown', `The resource ${value} is not known to this server.`);
      named.add(resource);
    }
    return [...named].join(' ');
  }

  /**
   * The audience of an access token from a grant that granted `granted` (a code's or refresh token's resources): the
   * resources the token request names, each among those granted (RFC 8707 §2.2), or else all that were granted.
   * Undefined: unrestricted, as every token was before resource indicators.
   */
  audienceWithin(params: RequestParams, granted: string | undefined): string | undefined {
    const requested = this.requested(params);
    if (requested === undefined) return granted;
    const grantedList = granted === undefined ? [] : granted.split(' ');
    const excess = requested.split(' ').filter((resource) => !grantedList.includes(resource));
    if (excess.length > 0) {
      throw invalidTarget('resource_not_granted', `Not granted for this grant: ${excess.join(', ')}.`);
    }
    return requested;
  }
}

/** A stored audience as JWT and introspection claims spell it (`aud`): one URI alone, several as a list. */
export function audienceClaim(audience: string): string | string[] {
  const audiences = audience.split(' ');
  return audiences.length === 1 ? audiences[0]! : audiences;
}

/** Whether an audience (a stored, space-separated list; absent: unrestricted) lets a token be used at `resource`. */
export function audienceAllows(audience: string | undefined, resources: readonly string[]): boolean {
  if (audience === undefined) return true;
  const audiences = audience.split(' ');
  return resources.some((resource) => audiences.includes(resource));
}

/** The absolute URI's normalised spelling (`https://API.example.com` and `https://api.example.com/` are one), or undefined. */
function normalised(value: string): string | undefined {
  return URL.canParse(value) ? new URL(value).href : undefined;
}
