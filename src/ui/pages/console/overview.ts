import type { ActivitySeries } from '../../../core/observability/hourly-activity.js';
import { barChart } from '../../bar-chart.js';
import { html } from '../../html.js';
import { consolePage, type ConsoleFrame } from './frame.js';

export interface OverviewPage extends ConsoleFrame {
  activity: ActivitySeries;
  live: { grants: number; clients: number; users: number };
}

/** `14:00`, the hour a bar counts (UTC, as the console's times are). */
function hourOf(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 13)}:00`;
}

/**
 * The administrators' overview: how many grants, clients and users there are, and tokens issued, sign-ins and failed
 * sign-ins per hour over the last 24 hours on this node, as charts with their numbers written out.
 */
export function overviewPage(page: OverviewPage): string {
  const { activity } = page;
  const series = [
    { id: 'tokens', title: 'Tokens issued', what: 'tokens issued', values: activity.tokens },
    { id: 'sign-ins', title: 'Sign-ins', what: 'successful sign-ins', values: activity.signIns },
    {
      id: 'failed-sign-ins',
      title: 'Failed sign-ins',
      what: 'failed sign-ins (wrong password, unknown email, disabled account, or refused by the limit)',
      values: activity.failedSignIns,
    },
  ];
  const first = hourOf(activity.hourStarts[0]!);
  return consolePage(
    page,
    'Overview',
    'overview',
    html`<h1>Overview</h1>
      <dl class="live-counts">
        <div>
          <dt>Grants</dt>
          <dd>${page.live.grants}</dd>
        </div>
        <div>
          <dt>Clients</dt>
          <dd>${page.live.clients}</dd>
        </div>
        <div>
          <dt>Users</dt>
          <dd>${page.live.users}</dd>
        </div>
      </dl>
      <p class="lede">
        Per hour (UTC) over the last 24 hours, from ${first}. Counted by this server since it started: other nodes and earlier runs are not
        included. The full history is in the Prometheus metrics.
      </p>
      ${series.map((s) => {
        const total = s.values.reduce((sum, n) => sum + n, 0);
        return html`<section class="chart-card" aria-labelledby="${s.id}-heading">
          <h2 id="${s.id}-heading">${s.title}: <span class="chart-total">${total}</span> in 24 hours</h2>
          ${barChart({
            id: s.id,
            title: `${s.title} per hour`,
            description: `Bars for the 24 hours from ${first} UTC; the number of ${s.what} is written above each bar.`,
            bars: s.values.map((value, i) => {
              const hour = hourOf(activity.hourStarts[i]!);
              return { value, label: hour, tooltip: `${hour} UTC: ${value} ${s.what}` };
            }),
            labelEvery: 6,
          })}
        </section>`;
      })}`,
  );
}
