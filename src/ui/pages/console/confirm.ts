import { csrfField } from '../../form-fields.js';
import { html } from '../../html.js';
import { consolePage, type ConsoleFrame, type ConsoleSection } from './frame.js';

export interface ConfirmPage extends ConsoleFrame {
  title: string;
  question: string;
  action: string;
  confirmLabel: string;
  cancelHref: string;
  /** The form's other fields, sent again with the confirmation. */
  fields?: Record<string, string>;
  /** The console tab the page sits under; the clients' by default. */
  section?: ConsoleSection;
}

/**
 * The server's own confirmation step for destructive actions. With script, a dialog asks first and the form arrives
 * confirmed; without it (or if the dialog was bypassed) the server asks here, so nothing is ever destroyed unasked.
 */
export function confirmPage(page: ConfirmPage): string {
  return consolePage(
    page,
    page.title,
    page.section ?? 'clients',
    html`<section class="card narrow">
      <h1>${page.title}</h1>
      <p>${page.question}</p>
      <form method="post" action="${page.action}">
        ${csrfField(page.csrf)}
        ${Object.entries(page.fields ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
        <input type="hidden" name="confirmed" value="yes" />
        <div class="actions">
          <a class="button secondary" href="${page.cancelHref}">Cancel</a>
          <button class="button danger" type="submit" autofocus>${page.confirmLabel}</button>
        </div>
      </form>
    </section>`,
  );
}
