import assert from 'node:assert/strict';

/**
 * A browser stand-in for HTTP tests: keeps cookies, never follows redirects by itself (tests look at each hop), and
 * reads the hidden fields of the page it got. Real-browser tests live in test/e2e.
 */
export class BrowserAgent {
  readonly cookies = new Map<string, string>();

  /** `headers` go with every request (a test's own `X-Forwarded-For`, an `Origin`). */
  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async get(pathOrUrl: string): Promise<Page> {
    return this.send(pathOrUrl, { method: 'GET' });
  }

  async post(path: string, form: Record<string, string>): Promise<Page> {
    return this.send(path, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  private async send(pathOrUrl: string, init: RequestInit): Promise<Page> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : this.baseUrl + pathOrUrl;
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...this.headers, ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      if (value === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return new Page(response.status, response.headers, await response.text());
  }

  /** Signs in through the form, as a person would. */
  async signIn(email: string, password: string, returnTo = '/account/connected-apps'): Promise<Page> {
    const form = await this.get(`/signin?return_to=${encodeURIComponent(returnTo)}`);
    return this.post('/signin', { csrf: form.field('csrf'), return_to: form.field('return_to'), email, password });
  }

  /**
   * Opens an authorization request (the path and query of `/oauth/v2/auth`, or the whole URL a client library built) and
   * accepts its consent page; the redirect back.
   */
  async consentTo(request: string | URL): Promise<URL> {
    const consent = await this.get(request instanceof URL ? request.href : request);
    const back = await this.post('/oauth/v2/auth/consent', {
      csrf: consent.field('csrf'),
      interaction: consent.field('interaction'),
      decision: 'accept',
    });
    assert.ok(back.location, `no redirect after consent (status ${back.status})`);
    return new URL(back.location);
  }
}

export class Page {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: string,
  ) {}

  get location(): string | undefined {
    return this.headers.get('location') ?? undefined;
  }

  /** The value of a hidden (or any) input by name. */
  field(name: string): string {
    const match = new RegExp(`name="${name}"\\s+value="([^"]*)"`).exec(this.body);
    assert.ok(match, `no field ${name} on the page (status ${this.status})`);
    return match[1]!
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
  }

  /** The parameters of the redirect, from its query or fragment. */
  redirectParams(): URLSearchParams {
    assert.ok(this.location, `expected a redirect, got ${this.status}`);
    const url = new URL(this.location);
    return new URLSearchParams(url.hash ? url.hash.slice(1) : url.search);
  }
}
