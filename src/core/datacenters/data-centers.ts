/**
 * Zoho's data centres (spec §9): one deployment may serve several, each with its own accounts server and API domain.
 * A user has a home DC; every token belongs to its user's DC and is issued, refreshed, revoked and used only there.
 */
export interface DataCenter {
  /** Zoho's `location` code, e.g. `us`, `eu` (sent in the authorization redirect and `user_location`). */
  location: string;
  /** The DC's issuer: the accounts server's URL (the origin; for the one implicit DC, `GATEHOUSE_ISSUER` as given). */
  issuer: string;
  /** The origin browsers and clients call for this DC's accounts endpoints, e.g. `https://accounts.eu.example.com`. */
  accountsOrigin: string;
  /** The `api_domain` of this DC's token responses, and where its tokens are accepted. */
  apiDomain: string;
}

/** A DC as `GATEHOUSE_DATACENTERS` lists it (JSON, Zoho's field names). */
export interface DataCenterSetting {
  location: string;
  accounts_origin: string;
  api_domain: string;
}

const LOCATION = /^[a-z]{2,8}$/;

/**
 * Whether a value is a well-formed DC location code (two to eight lower-case letters). It says nothing of whether this
 * deployment has that DC: `DataCenters.byLocation` does. Exported for input that names a DC before a config exists.
 */
export function isDataCenterLocation(value: unknown): value is string {
  return typeof value === 'string' && LOCATION.test(value);
}

/**
 * The configured DCs, the first being the primary: the home of users and clients created without naming one, of rows
 * from before multi-DC (whose DC is null), and of requests to a host that names no DC. Lookups are by map, built
 * once; with one DC (`several` false) the request path asks nothing at all.
 */
export class DataCenters {
  readonly primary: DataCenter;
  /** More than one DC: only then does anything compare DCs. */
  readonly several: boolean;
  /** Every DC's issuer: a token this server signed names one of them (id_token hints, logout hints). */
  readonly issuers: readonly string[];
  private readonly byOrigin = new Map<string, DataCenter>();
  private readonly byApiOrigin = new Map<string, DataCenter>();
  private readonly byName = new Map<string, DataCenter>();

  constructor(readonly all: readonly DataCenter[]) {
    if (all.length === 0) throw new Error('at least one data centre is needed');
    this.primary = all[0]!;
    this.several = all.length > 1;
    this.issuers = all.map((dc) => dc.issuer);
    for (const dc of all) {
      this.byName.set(dc.location, dc);
      this.byOrigin.set(dc.accountsOrigin, dc);
      this.byApiOrigin.set(new URL(dc.apiDomain).origin, dc);
    }
  }

  /** The DC of a location code, or undefined when this deployment has no such DC. */
  byLocation(location: string): DataCenter | undefined {
    return this.byName.get(location);
  }

  /** A stored DC (null: a row from before multi-DC, the primary's); a DC since removed from the config is undefined. */
  of(location: string | null): DataCenter | undefined {
    return location === null ? this.primary : this.byName.get(location);
  }

  /** Whether two stored DCs are the same DC (null is the primary's location). */
  same(a: string | null, b: string | null): boolean {
    return (a ?? this.primary.location) === (b ?? this.primary.location);
  }

  /** Whether something of a stored DC belongs at `at` (always, with one DC). */
  isAt(dc: string | null, at: DataCenter): boolean {
    return !this.several || this.same(dc, at.location);
  }

  /** The DC whose accounts server is at this origin (`https://host[:port]`); the primary for any other host. */
  forAccountsOrigin(origin: string): DataCenter {
    return this.byOrigin.get(origin) ?? this.primary;
  }

  /** The DC whose API domain is at this origin; the primary for any other host. */
  forApiOrigin(origin: string): DataCenter {
    return this.byApiOrigin.get(origin) ?? this.primary;
  }

  /** `GET /oauth/serverinfo`'s map: location → accounts server (spec §9). */
  directory(): Record<string, string> {
    return Object.fromEntries(this.all.map((dc) => [dc.location, dc.accountsOrigin]));
  }

  locations(): string[] {
    return this.all.map((dc) => dc.location);
  }
}

/**
 * Checks the configured DCs and returns them with every problem named: locations well formed and unique, origins
 * well-formed http(s) origins and unique (an API origin may be its own DC's accounts origin, never another DC's),
 * and one scheme for every accounts server (the session and CSRF cookies are `Secure` or not for the whole server).
 */
export function checkDataCenters(settings: readonly DataCenterSetting[], problems: string[]): DataCenter[] {
  const dcs: DataCenter[] = [];
  const seen = { location: new Set<string>(), origin: new Map<string, string>() };
  settings.forEach((setting, index) => {
    const name = `dataCenters[${index}]`;
    if (typeof setting !== 'object' || setting === null) {
      problems.push(`${name} must be an object with location, accounts_origin and api_domain`);
      return;
    }
    const { location, accounts_origin: accounts, api_domain: api } = setting;
    if (!isDataCenterLocation(location)) problems.push(`${name}.location must be a short lower-case DC name, got "${location}"`);
    else if (seen.location.has(location)) problems.push(`${name}.location "${location}" is listed twice`);
    else seen.location.add(location);
    const accountsOrigin = originOf(accounts);
    if (accountsOrigin === undefined || accountsOrigin !== String(accounts).replace(/\/+$/, '')) {
      problems.push(`${name}.accounts_origin must be an http(s) origin (scheme, host, port; no path), got "${accounts}"`);
    }
    const apiOrigin = originOf(api);
    if (apiOrigin === undefined) problems.push(`${name}.api_domain must be an http(s) URL, got "${api}"`);
    if (accountsOrigin === undefined || apiOrigin === undefined) return;
    for (const origin of new Set([accountsOrigin, apiOrigin])) {
      const owner = seen.origin.get(origin);
      if (owner !== undefined) problems.push(`${name}: ${origin} is already the origin of data centre "${owner}"`);
      else seen.origin.set(origin, location);
    }
    dcs.push({ location, issuer: accountsOrigin, accountsOrigin, apiDomain: String(api).replace(/\/+$/, '') });
  });
  if (new Set(dcs.map((dc) => new URL(dc.accountsOrigin).protocol)).size > 1) {
    problems.push('every accounts_origin must use the same scheme (all https, or all http)');
  }
  if (settings.length === 0) problems.push('dataCenters must list at least one data centre');
  return dcs;
}

function originOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The origin a request was sent to, as the server reads it (scheme and Host, or the trusted proxy's X-Forwarded-Proto
 * and X-Forwarded-Host, which the HTTP layer has already applied): what picks a DC.
 */
export function requestOrigin(request: { protocol: string; host: string }): string {
  return `${request.protocol}://${request.host.toLowerCase()}`;
}
