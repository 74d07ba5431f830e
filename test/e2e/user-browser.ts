import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, beforeEach, describe } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';

export const PASSWORD = 'correct horse battery';
/** Registered by `h.client(user, 'server')`. The host does not exist: interceptRequests() answers for it. */
export const REDIRECT = 'https://app.example.com/callback';
export const SCOPES = 'ZohoCRM.modules.leads.READ,AaaServer.profile.READ';
/** Characters that must survive the round trip through a real browser's URL handling. */
export const STATE = 'e2e st&te=1/ä';
/** What `h.client(user, 'server')` names the application. */
export const APP_NAME = 'Test server app';
/** The issuer the harness configures; the redirect's `iss` and `accounts-server` name it. */
export const ISSUER = 'http://gatehouse.test';

/** Screenshots land in <repo>/test-output/screenshots (git-ignored), wherever the tests are started from. */
const SCREENSHOTS = fileURLToPath(new URL('../../../test-output/screenshots/', import.meta.url));

const PASSKEY_SCRIPTS = ['/assets/webauthn.js', '/assets/passkeys.js'];

/** Long enough for a slow CI machine, short enough that a missing element fails the test instead of hanging it. */
const ACTION_TIMEOUT_MS = 10_000;
const NAVIGATION_TIMEOUT_MS = 15_000;
/** Per test: a few page loads, one argon2 sign-in, a token exchange. */
export const TEST_OPTIONS = { timeout: 60_000 };

/** A response the server sent for a top-level or framed document (not the stylesheet). */
export interface ServedDocument {
  url: string;
  status: number;
  csp: string | undefined;
}

/**
 * One person's browser: a fresh Chromium context (own cookies) with one page on one harness. It records every
 * document the server sends, so tests can check the headers of pages reached by clicking, and it answers for the
 * application's redirect URI, whose host does not exist.
 */
export class UserBrowser {
  private readonly documents: Array<Promise<ServedDocument>> = [];
  /** Origins the page may load from; every other request is refused, so nothing leaves the machine. */
  private readonly allowedOrigins: Set<string>;
  /** Console messages about Content-Security-Policy: a violation means the page relies on something CSP blocks. */
  readonly cspViolations: string[] = [];

  private constructor(
    readonly h: Harness,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    this.allowedOrigins = new Set([new URL(h.baseUrl).origin]);
  }

  /** `script: false` is a browser with JavaScript turned off: the console's pages must work without their script. */
  static async open(browser: Browser, h: Harness, options: { script?: boolean } = {}): Promise<UserBrowser> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: options.script ?? true });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
    const page = await context.newPage();
    const user = new UserBrowser(h, context, page);
    await user.interceptRequests();
    context.on('response', (response) => {
      if (response.request().resourceType() !== 'document' || !response.url().startsWith(`${h.baseUrl}/`)) return;
      user.documents.push(
        response
          .allHeaders()
          .then((headers) => ({ url: response.url(), status: response.status(), csp: headers['content-security-policy'] })),
      );
    });
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) user.cspViolations.push(message.text());
    });
    return user;
  }

  /**
   * Every request of the page passes through here: the server's go on, the redirect URI is answered with "callback
   * reached" (the test then reads the URL the server redirected to), anything else is refused. This uses Chromium's
   * Fetch domain directly because Playwright's page.route() never sees the target of a redirect: the 303 after
   * Accept would go to DNS, fail, and only reach the route when Chrome's error page reloads itself a second later.
   */
  private async interceptRequests(): Promise<void> {
    const cdp = await this.context.newCDPSession(this.page);
    cdp.on('Fetch.requestPaused', ({ requestId, request }) => {
      const answer = this.allowedOrigins.has(new URL(request.url).origin)
        ? cdp.send('Fetch.continueRequest', { requestId })
        : request.url.startsWith(`${REDIRECT}?`)
          ? cdp.send('Fetch.fulfillRequest', {
              requestId,
              responseCode: 200,
              responseHeaders: [{ name: 'content-type', value: 'text/plain' }],
              body: Buffer.from('callback reached').toString('base64'),
            })
          : cdp.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
      // A request still paused when the test closes the context has nobody left to answer to.
      answer.catch(() => {});
    });
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] });
  }

  /** Lets the page load from another origin too (a stand-in for another site, served by the test). */
  allowOrigin(origin: string): void {
    this.allowedOrigins.add(origin);
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /** Every document the server has sent to this browser so far, redirects included. */
  async servedDocuments(): Promise<ServedDocument[]> {
    return Promise.all(this.documents);
  }

  /** Opens the authorization URL as an application's link would. */
  async startAuthorization(client: RegisteredTestClient, extra: Record<string, string> = {}): Promise<void> {
    await this.page.goto(authorizationUrl(this.h, client, extra));
  }

  /** Types into the sign-in form by its labels and submits it, as a person would. */
  async submitSignIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Email', { exact: true }).fill(email);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.clickAndLoad(this.page.getByRole('button', { name: 'Sign in', exact: true }));
  }

  /** Signs in from the sign-in page and follows the header's Security link, as a person adding a factor does. */
  async openSecurityPage(email: string): Promise<void> {
    await this.page.goto(`${this.h.baseUrl}/signin`);
    await this.submitSignIn(email, PASSWORD);
    await this.clickAndLoad(this.page.getByRole('link', { name: 'Security' }));
    await this.expectAt('/account/security');
  }

  /**
   * Clicks (a submit button, say) and returns once the page that answers has loaded, after any redirects. Waiting for
   * a URL instead would not do: a failed sign-in answers at the same URL, and a refused form never reaches the
   * expected one (the test would only time out, without saying what the browser shows).
   */
  async clickAndLoad(target: Locator): Promise<void> {
    const loaded = this.page.waitForEvent('load');
    await target.click();
    await loaded;
  }

  /** From the authorization URL through sign-in to the consent page. */
  async reachConsent(client: RegisteredTestClient, email: string): Promise<void> {
    await this.startAuthorization(client);
    await this.expectAt('/signin');
    await this.submitSignIn(email, PASSWORD);
    await this.expectAt('/oauth/v2/auth');
    await this.page.getByRole('button', { name: 'Accept' }).waitFor();
  }

  /** Clicks Accept or Reject and returns the parameters the application receives at its redirect URI. */
  async answerConsent(decision: 'Accept' | 'Reject'): Promise<URLSearchParams> {
    await this.clickAndLoad(this.page.getByRole('button', { name: decision, exact: true }));
    if (!this.page.url().startsWith(`${REDIRECT}?`)) {
      assert.fail(`expected the redirect URI; the browser shows ${await this.describePage()}`);
    }
    assert.equal(await this.page.textContent('body'), 'callback reached', 'answered by interceptRequests(), not the network');
    return new URL(this.page.url()).searchParams;
  }

  /** The whole user side of an accepted authorization, then the application's exchange: tokens in hand. */
  async authorizeAndExchange(client: RegisteredTestClient, email: string) {
    await this.reachConsent(client, email);
    const params = await this.answerConsent('Accept');
    return this.h.exchange(client, params.get('code')!, { redirect_uri: REDIRECT });
  }

  /**
   * The browser shows the page at `path` on the server (query ignored). Called after steps that already waited for
   * the page to load (goto, submitSignIn), so it checks at once; a failure says which page is on screen instead, e.g.
   * "/signin: 'This form has expired'".
   */
  async expectAt(path: string): Promise<void> {
    const url = new URL(this.page.url());
    if (url.origin !== new URL(this.h.baseUrl).origin || url.pathname !== path) {
      assert.fail(`expected the page at ${path}; the browser shows ${await this.describePage()}`);
    }
  }

  /** Where the browser is and what the page says: its URL, heading and any alert. */
  async describePage(): Promise<string> {
    const text = async (selector: string) => (await this.page.locator(selector).allInnerTexts()).join(' / ').trim();
    return `${this.page.url()}: "${await text('h1')}" ${await text('[role=alert]')}`;
  }

  /**
   * The page on screen resists clickjacking and script injection: the server sent it with frame-ancestors 'none' and
   * no 'unsafe-inline' script, its only scripts are files of this server (the console's; none on the user's pages),
   * and nothing on it was refused by the CSP (which would mean it looks broken).
   */
  async expectLockedDownPage(options: { script?: boolean } = {}): Promise<void> {
    const url = this.page.url();
    const documents = await this.servedDocuments();
    // A console page that answers a form takes its own address (history.replaceState): it was served at the form's.
    const renamed = (await this.page.locator('[data-location]').count()) > 0;
    const served = documents.filter((d) => d.url === url || (renamed && d === documents.at(-1)));
    assert.ok(served.length > 0, `no server response recorded for ${url}`);
    const csp = served.at(-1)!.csp ?? '';
    assert.match(csp, /frame-ancestors 'none'/, `CSP of ${url}`);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `CSP of ${url}`);
    const scripts = await Promise.all((await this.page.locator('script').all()).map((script) => script.getAttribute('src')));
    // Pages with passkey buttons load the WebAuthn library and their script, both files of this server, in that order.
    const passkeyScripts = scripts.filter((src) => PASSKEY_SCRIPTS.includes(src ?? ''));
    assert.deepEqual(passkeyScripts, passkeyScripts.length > 0 ? PASSKEY_SCRIPTS : [], `passkey <script> elements on ${url}`);
    const others = scripts.filter((src) => !PASSKEY_SCRIPTS.includes(src ?? ''));
    assert.deepEqual(others, options.script ? ['/assets/console.js'] : [], `<script> elements on ${url}`);
    assert.deepEqual(this.cspViolations, [], `CSP violations on ${url}`);
  }

  /** A full-page screenshot, test-output/screenshots/<store>-<name>.png. */
  async screenshot(name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await this.page.screenshot({ path: `${SCREENSHOTS}${this.h.storage.dialect}-${name}.png`, fullPage: true });
  }

  /** The page's width as laid out; wider than the viewport means a horizontal scrollbar. */
  async scrollWidth(): Promise<number> {
    // A string, not a function: the tests compile without the DOM library.
    return this.page.evaluate<number>('document.documentElement.scrollWidth');
  }
}

export function authorizationUrl(h: Harness, client: RegisteredTestClient, extra: Record<string, string> = {}): string {
  return `${h.baseUrl}/oauth/v2/auth?${new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: SCOPES,
    access_type: 'offline',
    state: STATE,
    ...extra,
  })}`;
}

/**
 * A browser suite, once per store: one Chromium for the suite (launching costs about half a second), a fresh context
 * per test so no cookie or session leaks between tests. Skipped with a message when Chromium is missing (fails in CI).
 */
export function describeInChromium(
  title: string,
  body: (current: () => UserBrowser) => void,
  config: Parameters<typeof describeEachStore>[2] = {},
): void {
  const skip = chromiumUnavailable();
  if (skip) {
    describe(title, { skip }, () => {});
    return;
  }
  describeEachStore(
    title,
    (harness) => {
      let browser: Browser | undefined;
      let user: UserBrowser | undefined;
      before(async () => {
        browser = await launchChromium();
      });
      after(async () => {
        await browser?.close();
      });
      beforeEach(async () => {
        user = await UserBrowser.open(browser!, harness());
      });
      afterEach(async () => {
        await user?.close();
        user = undefined;
      });
      body(() => user!);
    },
    // As in the HTTP tests of the same flow: the per-client code limit has its own tests and must not interfere here.
    { limits: { codeRate: null }, ...config },
  );
}
