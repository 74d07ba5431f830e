import { html, type SafeHtml } from './html.js';

export interface FieldOptions {
  name: string;
  label: string;
  value?: string | undefined;
  /** Shown under the field and announced with it (aria-describedby), so a screen reader hears why it is wrong. */
  error?: string | undefined;
  hint?: string | undefined;
  /** A textarea for lists given one per line. */
  multiline?: boolean;
  type?: 'text' | 'url' | 'datetime-local';
  autofocus?: boolean;
  /** A `<datalist>` id offering suggestions. */
  list?: string;
  /** A `<select>` of these choices instead of a text input. */
  options?: ReadonlyArray<{ value: string; label: string }>;
}

/** A labelled input with its hint and its error next to it: the one way every console form shows a field. */
export function formField(field: FieldOptions): SafeHtml {
  const id = `field-${field.name}`;
  const describedBy = [field.error ? `${id}-error` : '', field.hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  const common = html`id="${id}" name="${field.name}" ${field.error ? html`aria-invalid="true"` : ''}
  ${describedBy ? html`aria-describedby="${describedBy}"` : ''} ${field.autofocus ? html`autofocus` : ''}`;
  return html`<div class="${field.error ? 'field has-error' : 'field'}">
    <label for="${id}">${field.label}</label>
    ${control(field, common)} ${field.hint ? html`<p class="hint" id="${id}-hint">${field.hint}</p>` : ''}
    ${field.error ? html`<p class="field-error" id="${id}-error">${field.error}</p>` : ''}
  </div>`;
}

/** The field's own element: a select for choices, a textarea for lists, otherwise an input. */
function control(field: FieldOptions, attributes: SafeHtml): SafeHtml {
  if (field.options) {
    return html`<select ${attributes}>
      ${field.options.map((o) => html`<option value="${o.value}" ${o.value === field.value ? html`selected` : ''}>${o.label}</option>`)}
    </select>`;
  }
  if (field.multiline) return html`<textarea ${attributes} rows="3" spellcheck="false">${field.value ?? ''}</textarea>`;
  return html`<input
    ${attributes}
    type="${field.type ?? 'text'}"
    value="${field.value ?? ''}"
    ${field.list ? html`list="${field.list}" autocomplete="off"` : ''}
    spellcheck="false"
  />`;
}

/** A value the user will copy (client ID, secret, code): selectable text and, with script, a Copy button. */
export function copyableValue(label: string, value: string, id: string): SafeHtml {
  return html`<div class="copyable">
    <span class="copyable-label" id="${id}-label">${label}</span>
    <div class="copyable-row">
      <code class="copyable-value" id="${id}" aria-labelledby="${id}-label">${value}</code>
      <button class="button secondary copy-button" type="button" data-copy="${id}" hidden>Copy</button>
    </div>
  </div>`;
}

export function csrfField(csrf: string): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${csrf}" />`;
}

/**
 * The field for a code from an authenticator app: `one-time-code` and numeric, so password managers and phones offer
 * the code themselves.
 */
export function oneTimeCodeField(label: string, autofocus: boolean): SafeHtml {
  return html`<label for="code">${label}</label>
    <input
      id="code"
      name="code"
      type="text"
      autocomplete="one-time-code"
      inputmode="numeric"
      pattern="[0-9 ]*"
      maxlength="7"
      required
      ${autofocus ? html`autofocus` : ''}
    />`;
}

/**
 * A passkey button inside a form: hidden until the passkey script shows it (no WebAuthn, no button), the hidden field
 * it fills with the browser's answer before sending the form, and where it says what went wrong (an alert only once
 * the script puts something in it, so an empty one is no alert on the page).
 */
export function passkeyButton(
  kind: 'register' | 'authenticate',
  optionsUrl: string,
  label: string,
  statusId: string,
  primary = false,
): SafeHtml {
  return html`<input type="hidden" name="passkey_response" value="" />
    <button
      type="button"
      class="button ${primary ? 'primary' : 'secondary'} block"
      data-passkey="${kind}"
      data-options="${optionsUrl}"
      data-status="${statusId}"
      hidden
    >
      ${label}
    </button>
    <p class="alert error" id="${statusId}" hidden></p>`;
}
