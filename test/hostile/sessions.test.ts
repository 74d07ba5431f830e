import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachDeployment, newAddress } from './deployments.js';

const PASSWORD = 'correct horse battery';

describeEachDeployment('hostile: session fixation', (get) => {
  test("a session value planted in the victim's browser is replaced at sign-in and never becomes the victim's", async () => {
    const h = get();
    const [attacker, victim] = [await h.user(), await h.user()];
    const attackerBrowser = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
    await attackerBrowser.signIn(attacker.email, PASSWORD);
    const planted = attackerBrowser.cookies.get('gh_session')!;

    const victimBrowser = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
    victimBrowser.cookies.set('gh_session', planted);
    // Signed in as the attacker, the victim is sent on; one who signs out first and in again gets a session of their own.
    await victimBrowser.post('/signout', { csrf: (await victimBrowser.get('/account/connected-apps')).field('csrf') });
    assert.equal((await victimBrowser.signIn(victim.email, PASSWORD)).status, 303);
    const issued = victimBrowser.cookies.get('gh_session');
    assert.ok(issued && issued !== planted);

    // The planted value is dead (the victim's sign-out ended it); it never speaks for the victim.
    const withPlanted = new BrowserAgent(h.baseUrl);
    withPlanted.cookies.set('gh_session', planted);
    const page = await withPlanted.get('/account/connected-apps');
    assert.equal(page.status, 303, 'the planted session no longer signs anyone in');
  });

  test('a session value from before sign-in, even one never issued, is not kept', async () => {
    const h = get();
    const user = await h.user();
    const browser = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
    const chosen = 'A'.repeat(43);
    browser.cookies.set('gh_session', chosen);
    await browser.signIn(user.email, PASSWORD);
    assert.notEqual(browser.cookies.get('gh_session'), chosen);
    const reuse = new BrowserAgent(h.baseUrl);
    reuse.cookies.set('gh_session', chosen);
    assert.equal((await reuse.get('/account/connected-apps')).status, 303);
  });

  test("changing the password gives the browser a new session and ends the old value and the user's other sessions", async () => {
    const h = get();
    const user = await h.user();
    const elsewhere = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
    await elsewhere.signIn(user.email, PASSWORD);
    const browser = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
    await browser.signIn(user.email, PASSWORD);
    const before = browser.cookies.get('gh_session')!;
    const form = await browser.get('/account/password');
    const changed = await browser.post('/account/password', {
      csrf: form.field('csrf'),
      current_password: PASSWORD,
      new_password: 'another horse battery',
      confirm_password: 'another horse battery',
    });
    assert.equal(changed.status, 303);
    assert.notEqual(browser.cookies.get('gh_session'), before);
    assert.equal((await browser.get('/account/connected-apps')).status, 200, 'the new session works');
    const old = new BrowserAgent(h.baseUrl);
    old.cookies.set('gh_session', before);
    assert.equal((await old.get('/account/connected-apps')).status, 303, 'the old value is signed out');
    assert.equal((await elsewhere.get('/account/connected-apps')).status, 303, 'the other browser is signed out');
  });
});
