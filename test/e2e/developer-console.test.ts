import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClientType } from '../../src/core/clients/client.js';
import type { Harness } from '../support/harness.js';
import { describeInChromium, PASSWORD, TEST_OPTIONS, UserBrowser } from './user-browser.js';

/** What a developer types for each client type, by the form's labels. */
const FORMS: Array<{ type: ClientType; title: string; fields: Record<string, string> }> = [
  {
    type: 'server',
    title: 'Server-based Applications',
    fields: {
      'Client name': 'CRM Sync',
      'Homepage URL': 'https://sync.example.com',
      'Authorized redirect URIs': 'https://sync.example.com/cb',
    },
  },
  {
    type: 'client',
    title: 'Client-based Applications',
    fields: {
      'Client name': 'Leads Board',
      'Homepage URL': 'https://board.example.com',
      'Authorized redirect URIs': 'https://board.example.com/cb',
      'JavaScript domains': 'https://board.example.com',
    },
  },
  {
    type: 'mobile',
    title: 'Mobile-based Applications',
    fields: {
      'Client name': 'Field App',
      'Homepage URL': 'https://field.example.com',
      'Authorized redirect URIs': 'com.example.field:/cb',
    },
  },
  { type: 'device', title: 'Non-browser Applications', fields: { 'Client name': 'Lobby TV', 'Homepage URL': 'https://tv.example.com' } },
  { type: 'self', title: 'Self Client', fields: {} },
];

/** Whether the token endpoint accepts this client ID and secret (a bogus refresh token then fails as invalid_grant, not invalid_client). */
async function secretWorks(h: Harness, clientId: string, clientSecret: string): Promise<boolean> {
  const res = await h.post('/oauth/v2/token', {
    grant_type: 'refresh_token',
    client_id: clientId,
    client_secret: clientSecret,
    refresh_token: 'bogus',
  });
  assert.ok(['invalid_grant', 'invalid_client'].includes(res.body?.error), JSON.stringify(res.body));
  return res.body?.error === 'invalid_grant';
}

async function openConsole(b: UserBrowser, email: string, path = '/developer-console'): Promise<void> {
  await b.page.goto(b.h.baseUrl + path);
  await b.expectAt('/signin');
  await b.submitSignIn(email, PASSWORD);
  await b.expectAt(path);
}

/** Add Client → the type's card → its form, filled in by label, then Create; OK in the dialog where one asks. */
async function addClient(b: UserBrowser, form: (typeof FORMS)[number], screenshot?: string): Promise<void> {
  await b.clickAndLoad(b.page.getByRole('link', { name: 'Add Client' }));
  await b.clickAndLoad(b.page.getByRole('link', { name: form.title }));
  for (const [label, value] of Object.entries(form.fields)) await b.page.getByLabel(label, { exact: true }).fill(value);
  if (screenshot) await b.screenshot(screenshot);
  if (form.type === 'self') {
    await b.page.getByRole('button', { name: 'Create' }).click();
    await b.clickAndLoad(b.page.getByRole('dialog').getByRole('button', { name: 'OK' }));
  } else {
    await b.clickAndLoad(b.page.getByRole('button', { name: 'Create' }));
  }
}

/** Five registrations, each with a few page loads and a token request: over 40 s on a loaded CI machine. */
const LONG_TEST = { timeout: 150_000 };

const text = async (b: UserBrowser, selector: string) => (await b.page.locator(selector).innerText()).trim();

describeInChromium('e2e: developer console in a real browser', (current) => {
  test('a developer registers one client of each type; each secret is shown once, with a Copy button', LONG_TEST, async () => {
    const b = current();
    const user = await b.h.user();
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: b.h.baseUrl });
    await openConsole(b, user.email);
    await b.expectLockedDownPage({ script: true });
    assert.equal(await b.page.getByText('No clients yet.').count(), 1);

    for (const form of FORMS) {
      await addClient(b, form, `console-new-${form.type}`);
      assert.equal(await text(b, '[role=status].alert'), 'Client created.', await b.describePage());
      await b.expectLockedDownPage({ script: true });
      const clientId = await text(b, '#client-id');
      assert.match(clientId, /^1000\.[A-Z0-9]{30}$/);
      assert.equal(new URL(b.page.url()).pathname, `/developer-console/clients/${clientId}/secret`, 'a reload would not create again');
      const stored = await b.h.storage.clients.find(clientId);
      assert.equal(stored?.type, form.type);
      if (form.type === 'client') {
        assert.equal(await b.page.locator('#client-secret').count(), 0, 'a client-based app has no secret');
      } else {
        const secret = await text(b, '#client-secret');
        assert.ok(await secretWorks(b.h, clientId, secret), `the shown secret of the ${form.type} client works`);
        if (form.type === 'server') {
          await b.screenshot('console-created-server');
          const copy = b.page.locator('button[data-copy="client-secret"]');
          await copy.click();
          await b.page.getByRole('button', { name: 'Copied' }).waitFor();
          assert.equal(await b.page.evaluate<string>('navigator.clipboard.readText()'), secret, 'Copy puts the secret on the clipboard');
        }
        // Shown once: the Client Secret tab, opened again, cannot show it.
        await b.clickAndLoad(b.page.getByRole('link', { name: 'Client Secret' }));
        assert.equal(await b.page.locator('#client-secret').count(), 0);
        assert.ok(!(await b.page.content()).includes(secret), 'the secret is not on the page any more');
      }
      await b.clickAndLoad(b.page.getByRole('link', { name: 'Developer console' }));
    }

    const rows = b.page.locator('table.list tbody tr');
    assert.equal(await rows.count(), FORMS.length);
    for (const form of FORMS) {
      const name = form.fields['Client name'] ?? 'Self Client';
      assert.equal(await rows.filter({ hasText: name }).filter({ hasText: form.title }).count(), 1, `${name} is listed`);
    }
    await b.screenshot('console-list');

    // A second Self Client is not offered, and the card links to the existing one.
    await b.clickAndLoad(b.page.getByRole('link', { name: 'Add Client' }));
    assert.equal(await b.page.getByRole('link', { name: 'Self Client' }).count(), 0);
    assert.equal(await b.page.getByRole('link', { name: 'Open it' }).count(), 1);

    // Phone width: nothing overflows sideways, and the keyboard reaches Add Client.
    await b.page.setViewportSize({ width: 375, height: 740 });
    await b.page.goto(`${b.h.baseUrl}/developer-console`);
    await b.screenshot('console-list-phone');
    assert.ok((await b.scrollWidth()) <= 375, `the list fits a phone (${await b.scrollWidth()} px)`);
    let focused = '';
    for (let i = 0; i < 10 && focused !== 'Add Client'; i++) {
      await b.page.keyboard.press('Tab');
      focused = await b.page.evaluate<string>('document.activeElement.textContent.trim()');
    }
    assert.equal(focused, 'Add Client', 'Add Client is reachable with Tab');
    await Promise.all([b.page.waitForEvent('load'), b.page.keyboard.press('Enter')]);
    await b.expectAt('/developer-console/new');
  });

  test(
    'Self Client: Generate Code suggests scopes, refuses a mistyped one, and its code works at the token endpoint',
    TEST_OPTIONS,
    async () => {
      const b = current();
      const user = await b.h.user();
      await openConsole(b, user.email);
      await addClient(
        b,
        FORMS.find((f) => f.type === 'self')!,
      );
      const clientId = await text(b, '#client-id');
      const clientSecret = await text(b, '#client-secret');

      await b.clickAndLoad(b.page.getByRole('link', { name: 'Generate Code' }));
      await b.expectLockedDownPage({ script: true });
      const scope = b.page.getByLabel('Scope', { exact: true });
      // Suggestions complete the last name of the comma-separated list.
      await scope.pressSequentially('ZohoCRM.modules.leads.READ,ZohoCRM.users');
      const options = await b.page.locator('#scope-names option').all();
      const offered = await Promise.all(options.map((option) => option.getAttribute('value')));
      assert.ok(offered.includes('ZohoCRM.modules.leads.READ,ZohoCRM.users.READ'), offered.join(' | '));

      await scope.fill('ZohoCRM.modules.lead.READ');
      await b.clickAndLoad(b.page.getByRole('button', { name: 'Create' }));
      const error = await text(b, '#field-scope-error');
      assert.match(error, /Unknown scope: ZohoCRM\.modules\.lead\.READ\. Did you mean ZohoCRM\.modules\.leads\.READ\?/);
      assert.equal(await b.page.getByLabel('Scope', { exact: true }).getAttribute('aria-invalid'), 'true');
      assert.equal(await b.page.locator('#grant-code').count(), 0, 'no code for a bad scope');
      await b.screenshot('console-generate-code-error');

      await b.page.getByLabel('Scope', { exact: true }).fill('ZohoCRM.modules.leads.READ,AaaServer.profile.READ');
      await b.page.getByLabel('Time duration').selectOption('5');
      await b.page.getByLabel('Description').fill('nightly sync');
      await b.clickAndLoad(b.page.getByRole('button', { name: 'Create' }));
      const code = await text(b, '#grant-code');
      const expires = Date.parse((await b.page.locator('.generated time').getAttribute('datetime'))!);
      assert.equal(expires, b.h.clock.now() + 5 * 60_000, 'expires after the chosen 5 minutes');
      await b.screenshot('console-generate-code');

      const exchanged = await b.h.post('/oauth/v2/token', {
        grant_type: 'authorization_code',
        client_id: clientId,
        client_secret: clientSecret,
        code,
      });
      assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
      assert.equal(exchanged.body!.scope, 'ZohoCRM.modules.leads.READ AaaServer.profile.READ');
      assert.ok(exchanged.body!.refresh_token);
    },
  );

  test('Rotate secret asks first; Cancel keeps the secret, OK replaces it and the old one fails', TEST_OPTIONS, async () => {
    const b = current();
    const user = await b.h.user();
    const client = await b.h.client(user, 'server');
    await openConsole(b, user.email, `/developer-console/clients/${client.clientId}/secret`);

    await b.page.getByRole('button', { name: 'Rotate secret' }).click();
    const dialog = b.page.getByRole('dialog');
    assert.match(await dialog.innerText(), /Rotate the secret\? The current one stops working at once\./);
    await b.screenshot('console-rotate-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await dialog.count(), 0);
    assert.ok(await secretWorks(b.h, client.clientId, client.clientSecret!), 'Cancel changed nothing');

    await b.page.getByRole('button', { name: 'Rotate secret' }).click();
    await b.clickAndLoad(b.page.getByRole('dialog').getByRole('button', { name: 'OK' }));
    assert.match(await text(b, '[role=status].alert'), /Secret rotated/);
    const rotated = await text(b, '#client-secret');
    assert.notEqual(rotated, client.clientSecret);
    assert.equal(await secretWorks(b.h, client.clientId, client.clientSecret!), false, 'the old secret stopped working');
    assert.ok(await secretWorks(b.h, client.clientId, rotated), 'the new secret works');

    // Reloading the answer fetches the Client Secret tab; it does not send the rotation again.
    assert.equal(new URL(b.page.url()).pathname, `/developer-console/clients/${client.clientId}/secret`);
    const reloaded = b.page.waitForEvent('load');
    await b.page.reload();
    await reloaded;
    assert.equal(await b.page.locator('#client-secret').count(), 0, 'the secret is not shown again');
    assert.ok(await secretWorks(b.h, client.clientId, rotated), 'and it still works: nothing was rotated again');
  });

  test('bad input is marked next to its field and creates nothing; another user’s client does not exist', TEST_OPTIONS, async () => {
    const b = current();
    const user = await b.h.user();
    const stranger = await b.h.user();
    const theirs = await b.h.client(stranger, 'server');
    await openConsole(b, user.email, '/developer-console/new/server');

    const fill = async (name: string, homepage: string, redirect: string) => {
      await b.page.getByLabel('Client name', { exact: true }).fill(name);
      await b.page.getByLabel('Homepage URL', { exact: true }).fill(homepage);
      await b.page.getByLabel('Authorized redirect URIs', { exact: true }).fill(redirect);
      await b.clickAndLoad(b.page.getByRole('button', { name: 'Create' }));
    };
    await fill('x'.repeat(101), 'not a url', 'javascript:alert(1)');
    assert.match(await text(b, '#field-name-error'), /Enter a valid client name/);
    assert.match(await text(b, '#field-homepage-error'), /Enter a valid homepage URL/);
    assert.match(await text(b, '#field-redirect_uris-error'), /uses the javascript: scheme/);
    for (const label of ['Client name', 'Homepage URL', 'Authorized redirect URIs']) {
      assert.equal(await b.page.getByLabel(label, { exact: true }).getAttribute('aria-invalid'), 'true', label);
    }
    // What was typed stays in the form, to be corrected.
    assert.equal(await b.page.getByLabel('Homepage URL', { exact: true }).inputValue(), 'not a url');
    await b.screenshot('console-new-errors');

    await fill('Good name', 'https://ok.example.com', 'https://ok.example.com/cb#frag');
    assert.match(await text(b, '#field-redirect_uris-error'), /has a fragment/);
    assert.equal(await b.page.locator('#field-name-error').count(), 0);
    await fill('Good name', 'https://ok.example.com', 'https://ok.example.com/cb\nhttps://*.example.com/cb');
    assert.match(await text(b, '#field-redirect_uris-error'), /wildcard/);
    assert.deepEqual(await b.h.storage.clients.listByOwner(user.zuid), [], 'nothing was created');

    for (const path of ['', '/secret', '/grants']) {
      await b.page.goto(`${b.h.baseUrl}/developer-console/clients/${theirs.clientId}${path}`);
      assert.equal(await text(b, 'h1'), 'Not found', path);
      assert.match(await b.page.locator('main').innerText(), /No client has this client ID/);
    }
    assert.ok(await secretWorks(b.h, theirs.clientId, theirs.clientSecret!), "the stranger's client is untouched");
  });

  test('edit, grants with revoke, and delete (confirmed) of a client', TEST_OPTIONS, async () => {
    const b = current();
    const owner = await b.h.user();
    const grantor = await b.h.user({ firstName: 'Gus', lastName: 'Grant' });
    const client = await b.h.client(owner, 'server');
    const tokens = await b.h.exchange(client, await b.h.webCode(client.clientId, grantor), { redirect_uri: client.redirectUris[0]! });
    await b.h.storage.consents.grant(grantor.zuid, client.clientId, 'ZohoCRM.modules.ALL AaaServer.profile.READ', b.h.clock.now());
    await openConsole(b, owner.email, `/developer-console/clients/${client.clientId}`);

    await b.page.getByLabel('Client name', { exact: true }).fill('Renamed App');
    await b.page
      .getByLabel('Authorized redirect URIs', { exact: true })
      .fill('https://app.example.com/callback\nhttps://app.example.com/other');
    await b.clickAndLoad(b.page.getByRole('button', { name: 'Save changes' }));
    assert.equal(await text(b, '[role=status].alert'), 'Changes saved.');
    assert.equal(await text(b, 'h1'), 'Renamed App');
    assert.deepEqual((await b.h.storage.clients.find(client.clientId))!.redirectUris, [
      'https://app.example.com/callback',
      'https://app.example.com/other',
    ]);

    await b.clickAndLoad(b.page.getByRole('link', { name: 'Grants' }));
    const row = b.page.locator('tbody tr').filter({ hasText: grantor.email });
    assert.equal(await row.count(), 1);
    await b.screenshot('console-grants');
    await row.getByRole('button', { name: `Revoke ${grantor.email}` }).click();
    await b.clickAndLoad(b.page.getByRole('dialog').getByRole('button', { name: 'OK' }));
    assert.match(await text(b, '[role=status].alert'), /Grant revoked/);
    assert.equal(await b.page.locator('tbody tr').count(), 0);
    assert.equal(await b.h.accessTokenWorks(tokens.access_token), false, "the grantor's token stopped working");

    await b.clickAndLoad(b.page.getByRole('link', { name: 'Client Details' }));
    await b.page.getByRole('button', { name: 'Delete client' }).click();
    await b.clickAndLoad(b.page.getByRole('dialog').getByRole('button', { name: 'OK' }));
    await b.expectAt('/developer-console');
    assert.match(await text(b, '[role=status].alert'), /Client deleted/);
    assert.equal(await b.h.storage.clients.find(client.clientId), undefined);
  });

  test('an administrator also sees every user and every client; others may not', TEST_OPTIONS, async () => {
    const b = current();
    const admin = await b.h.user({ isAdmin: true });
    const developer = await b.h.user();
    await b.h.client(developer, 'server');
    await openConsole(b, admin.email);
    await b.clickAndLoad(b.page.getByRole('link', { name: 'All clients' }));
    const row = b.page.locator('tbody tr').filter({ hasText: developer.email });
    assert.equal(await row.count(), 1, "the developer's client is listed with its owner");
    assert.match(await row.innerText(), /Test server app/);
    await b.clickAndLoad(b.page.getByRole('link', { name: 'Users' }));
    assert.equal(await b.page.locator('tbody tr').filter({ hasText: developer.email }).count(), 1);
    await b.screenshot('console-admin-users');

    const other = await UserBrowser.open(b.context.browser()!, b.h);
    await openConsole(other, developer.email);
    assert.equal(await other.page.getByRole('link', { name: 'All clients' }).count(), 0);
    await other.page.goto(`${b.h.baseUrl}/developer-console/admin/users`);
    assert.equal(await text(other, 'h1'), 'Not allowed');
    await other.close();
  });
});
