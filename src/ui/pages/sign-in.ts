import { html } from '../html.js';
import { csrfField, passkeyButton } from '../form-fields.js';
import { layout } from '../layout.js';

export interface SignInPage {
  csrf: string;
  returnTo: string;
  /** The application an authorization request in progress is for: the user signs in to continue to it. */
  appName?: string;
  email?: string;
  error?: string;
  /** Offer "Sign in with a passkey" (not on an issuer that is an IP address, where browsers refuse passkeys). */
  passkeys: boolean;
}

export function signInPage(page: SignInPage): string {
  return layout(
    { title: 'Sign in', passkeys: page.passkeys },
    html`<section class="card narrow">
      <h1>Sign in</h1>
      <p class="lede">${page.appName ? html`Sign in to continue to <strong>${page.appName}</strong>.` : 'Use your Gatehouse account.'}</p>
      ${page.error ? html`<p class="alert error" role="alert">${page.error}</p>` : ''}
      <form method="post" action="/signin" novalidate>
        ${csrfField(page.csrf)}
        <input type="hidden" name="return_to" value="${page.returnTo}" />
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required autofocus value="${page.email ?? ''}" />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button class="button primary block" type="submit">Sign in</button>
      </form>
      ${
        page.passkeys
          ? html`<form method="post" action="/signin/passkey" class="passkey-sign-in">
              ${csrfField(page.csrf)}
              <input type="hidden" name="return_to" value="${page.returnTo}" />
              ${passkeyButton('authenticate', '/signin/passkey/options', 'Sign in with a passkey', 'passkey-status')}
            </form>`
          : ''
      }
    </section>`,
  );
}
