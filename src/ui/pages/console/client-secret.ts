import { hasSecret } from '../../../core/clients/client.js';
import type { ManagedClient } from '../../../core/console/developer-console.js';
import { copyableValue, csrfField } from '../../form-fields.js';
import { html } from '../../html.js';
import { clientPage } from './client-shell.js';
import { clientPath, notice, type ConsoleFrame } from './frame.js';

export interface ClientSecretPage extends ConsoleFrame {
  client: ManagedClient;
  /** A secret just made (at creation or rotation): shown this once, never again. */
  newSecret?: string | undefined;
  notice?: string | undefined;
}

/**
 * Client Secret: Gatehouse keeps only a keyed hash of the secret, so it is shown once, when it is made; afterwards
 * the developer can only replace it.
 */
export function clientSecretPage(page: ClientSecretPage): string {
  const { client } = page;
  return clientPage(
    page,
    client,
    'secret',
    'Client Secret',
    html`${notice(page.notice)}
      <section class="card" data-location="${clientPath(client.clientId)}/secret">
        <h2>Client Secret</h2>
        ${
          !hasSecret(client.type)
            ? html`<p>A client-based application runs in the browser, where nothing stays secret, so it has no client secret.</p>`
            : html`${
                  page.newSecret
                    ? html`<div class="secret-once" role="status">
                        ${copyableValue('Client Secret', page.newSecret, 'client-secret')}
                        <p class="warning">Copy it now. Gatehouse keeps only a hash of it and will not show it again.</p>
                      </div>`
                    : html`<p>
                        The secret was shown once, when it was made; Gatehouse keeps only a hash of it. If it is lost or leaked, rotate it.
                      </p>`
                }
                <form
                  method="post"
                  action="${clientPath(client.clientId)}/secret"
                  data-confirm="Rotate the secret? The current one stops working at once."
                >
                  ${csrfField(page.csrf)}
                  <div class="actions"><button class="button danger" type="submit">Rotate secret</button></div>
                </form>`
        }
      </section>`,
  );
}
