import { html } from '../html.js';
import { csrfField, oneTimeCodeField, passkeyButton } from '../form-fields.js';
import { layout } from '../layout.js';

export type SecondFactorMethod = 'totp' | 'recovery' | 'passkey';

export interface SecondFactorPage {
  csrf: string;
  returnTo: string;
  method: SecondFactorMethod;
  /** The ways this user can answer (the page links to the others than `method`). */
  offered: readonly SecondFactorMethod[];
  error?: string;
}

const PROMPTS: Record<SecondFactorMethod, string> = {
  totp: 'Type the 6-digit code your authenticator app shows.',
  recovery: 'Type one of the recovery codes you saved. Each works once.',
  passkey: 'Use your passkey: your browser asks for it.',
};

const SWITCH: Record<SecondFactorMethod, string> = {
  totp: 'Use your authenticator app',
  recovery: 'Use a recovery code',
  passkey: 'Use a passkey',
};

/** The second step of signing in, after the password: a code from the authenticator app, a recovery code, or a passkey. */
export function secondFactorPage(page: SecondFactorPage): string {
  const others = page.offered.filter((m) => m !== page.method);
  const link = (method: SecondFactorMethod) => `/signin/verify?${new URLSearchParams({ return_to: page.returnTo, method })}`;
  return layout(
    { title: 'Two-step sign-in', passkeys: page.method === 'passkey' },
    html`<section class="card narrow">
      <h1>Two-step sign-in</h1>
      <p class="lede">${PROMPTS[page.method]}</p>
      ${page.error ? html`<p class="alert error" role="alert">${page.error}</p>` : ''}
      <form method="post" action="/signin/verify" novalidate>
        ${csrfField(page.csrf)}
        <input type="hidden" name="return_to" value="${page.returnTo}" />
        <input type="hidden" name="method" value="${page.method}" />
        ${answerControls(page.method)}
      </form>
      ${others.map((method) => html`<p><a href="${link(method)}">${SWITCH[method]}</a></p>`)}
    </section>`,
  );
}

function answerControls(method: SecondFactorMethod) {
  if (method === 'passkey') return passkeyButton('authenticate', '/signin/verify/passkey/options', 'Use a passkey', 'passkey-status', true);
  const field =
    method === 'recovery'
      ? html`<label for="code">Recovery code</label>
          <input id="code" name="code" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" required autofocus />`
      : oneTimeCodeField('Code', true);
  return html`${field}<button class="button primary block" type="submit">Verify</button>`;
}
