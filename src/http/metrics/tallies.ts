import { Counter, Histogram, type MetricObjectWithValues, type MetricType, type MetricValueWithName, type Registry } from 'prom-client';

/**
 * Counts kept for prom-client in plain numbers. prom-client's own `inc` and `observe`, its `labels(...)` children too,
 * check and join the label values into a key on every call; on the token endpoint and the read lane that is work per
 * request for a number read once per scrape. Here a request finds its child through a Map per label (the label values
 * are strings already interned) and adds to a number; prom-client reads the numbers when scraped and writes the text.
 */

/** The children of one metric, one per label set, created on first use and then kept. Up to three labels. */
export class Children<C> {
  private readonly root = new Map<string, unknown>();
  private readonly all: Array<{ labels: Record<string, string>; child: C }> = [];

  constructor(
    private readonly labelNames: readonly string[],
    private readonly create: () => C,
  ) {
    if (labelNames.length > 3) throw new Error('Children holds at most three labels');
  }

  /** The child of these label values, in the order of the label names (missing ones are ''). Allocates nothing once made. */
  get(first = '', second = '', third = ''): C {
    const depth = this.labelNames.length;
    let level = this.root;
    if (depth >= 2) level = this.below(level, first);
    if (depth === 3) level = this.below(level, second);
    const last = depth <= 1 ? first : depth === 2 ? second : third;
    const child = level.get(last) as C | undefined;
    return child ?? this.add(level, last, [first, second, third]);
  }

  private below(level: Map<string, unknown>, value: string): Map<string, unknown> {
    let next = level.get(value) as Map<string, unknown> | undefined;
    if (next === undefined) level.set(value, (next = new Map()));
    return next;
  }

  private add(level: Map<string, unknown>, key: string, values: string[]): C {
    const child = this.create();
    level.set(key, child);
    this.all.push({ labels: Object.fromEntries(this.labelNames.map((name, i) => [name, values[i]!])), child });
    return child;
  }

  entries(): ReadonlyArray<{ labels: Record<string, string>; child: C }> {
    return this.all;
  }
}

export interface Tally {
  value: number;
}

/** A Prometheus counter whose children are `Tally`s; `name` ends in `_total`. */
export function tallyCounter(registry: Registry, name: string, help: string, labelNames: readonly string[] = []): Children<Tally> {
  const children = new Children<Tally>(labelNames, () => ({ value: 0 }));
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const { labels, child } of children.entries()) this.inc(labels, child.value);
    },
  });
  return children;
}

/** One histogram child: how many observations fell at or below each bound (the last slot: above every bound). */
export class BucketCounts {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    let slot = 0;
    while (slot < this.bounds.length && value > this.bounds[slot]!) slot++;
    this.counts[slot]!++;
    this.sum += value;
    this.count++;
  }
}

/**
 * A Prometheus histogram whose children are `BucketCounts`: a prom-client Histogram (registered, named and written as
 * one) whose values are read from the children when scraped. The registry asks a histogram for `getForPromString`
 * (prom-client's Histogram has it; its typings do not say so), and `get` for the JSON form: both answer from here.
 */
class TallyHistogram extends Histogram {
  constructor(
    registry: Registry,
    private readonly metricName: string,
    private readonly metricHelp: string,
    labelNames: readonly string[],
    private readonly bounds: readonly number[],
    private readonly children: Children<BucketCounts>,
  ) {
    super({ name: metricName, help: metricHelp, labelNames, buckets: [...bounds], registers: [registry] });
  }

  getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    return this.get();
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const bucket = `${this.metricName}_bucket`;
    const values: Array<MetricValueWithName<string>> = [];
    for (const { labels, child } of this.children.entries()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += child.counts[i]!;
        values.push({ metricName: bucket, labels: { ...labels, le: bound }, value: cumulative });
      });
      values.push({ metricName: bucket, labels: { ...labels, le: '+Inf' }, value: child.count });
      values.push({ metricName: `${this.metricName}_sum`, labels, value: child.sum });
      values.push({ metricName: `${this.metricName}_count`, labels, value: child.count });
    }
    // `type` is the string prom-client writes; its typings declare a numeric enum that the package does not export.
    const type = 'histogram' as unknown as MetricType;
    return { name: this.metricName, help: this.metricHelp, type, aggregator: 'sum', collect: () => {}, values };
  }
}

export function tallyHistogram(
  registry: Registry,
  name: string,
  help: string,
  bounds: readonly number[],
  labelNames: readonly string[] = [],
): Children<BucketCounts> {
  const children = new Children<BucketCounts>(labelNames, () => new BucketCounts(bounds));
  new TallyHistogram(registry, name, help, labelNames, bounds, children);
  return children;
}
