import type { ManagedClient } from '../../../core/console/developer-console.js';
import { csrfField } from '../../form-fields.js';
import { html } from '../../html.js';
import { clientPage } from './client-shell.js';
import { clientPath, notice, type ConsoleFrame } from './frame.js';

/** One checkbox per DC, each its own field (a parameter may not repeat). */
export const dataCenterField = (location: string): string => `dc_${location}`;

export interface ClientSettingsPage extends ConsoleFrame {
  client: ManagedClient;
  /** The client's home DC's location (resolved: never null). */
  homeDc: string;
  notice?: string | undefined;
}

/**
 * Settings → Multi-DC (spec §1.2), as in Zoho's API console: the client lives in its home DC and is enabled in others
 * one by one. The same client ID and the same secret serve in every DC it is enabled in.
 */
export function clientSettingsPage(page: ClientSettingsPage): string {
  const { client } = page;
  const enabled = new Set(client.otherDcs ?? []);
  const action = `${clientPath(client.clientId)}/settings`;
  return clientPage(
    page,
    client,
    'settings',
    'Settings',
    html`${notice(page.notice)}
      <section class="card" data-location="${action}">
        <h2>Multi-DC</h2>
        <p>
          Home data centre: <strong>${page.homeDc}</strong>. Users of another data centre can authorize this client only once it is enabled
          there; their token calls go to their own data centre's accounts server. The client ID and the client secret are the same in every
          data centre.
        </p>
        <form method="post" action="${action}">
          ${csrfField(page.csrf)}
          <fieldset class="field">
            <legend>Enabled in</legend>
            ${page.dataCenters
              .filter((dc) => dc !== page.homeDc)
              .map(
                (dc) =>
                  html`<label
                    ><input type="checkbox" name="${dataCenterField(dc)}" value="yes" ${enabled.has(dc) ? html`checked` : ''} />
                    ${dc}</label
                  >`,
              )}
          </fieldset>
          <div class="actions"><button class="button primary" type="submit">Save</button></div>
        </form>
      </section>`,
  );
}
