import { html, type SafeHtml } from './html.js';

export interface ListColumn<T> {
  /** The header, and each cell's `data-label`: on a phone the table folds into cards that print it above the value. */
  label: string;
  /** A column whose header only screen readers need (its buttons say what they do), with no label on its cells. */
  unlabelled?: boolean;
  cell: (item: T) => unknown;
}

/** The console's lists: one row per item, a header per column, and a label per cell that always matches its header. */
export function listTable<T>(columns: readonly ListColumn<T>[], items: readonly T[]): SafeHtml {
  return html`<div class="table-card">
    <table class="list">
      <thead>
        <tr>
          ${columns.map((column) =>
            column.unlabelled
              ? html`<th scope="col"><span class="visually-hidden">${column.label}</span></th>`
              : html`<th scope="col">${column.label}</th>`,
          )}
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (item) =>
            html`<tr>
              ${columns.map((column) =>
                column.unlabelled ? html`<td>${column.cell(item)}</td>` : html`<td data-label="${column.label}">${column.cell(item)}</td>`,
              )}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
