import assert from 'node:assert/strict';

/** One sample of the Prometheus text exposition format: `name{label="value",…} number`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parser of the text format's sample lines (comments skipped), strict enough that a malformed line fails the test. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g)) labels[name!] = value!;
    const value = sampleValue(match[3]!);
    assert.ok(value !== undefined, `a number: ${line}`);
    samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}

/**
 * A sample's value as the format spells it: a float, `+Inf`, `-Inf`, or NaN (which Prometheus reads case-insensitively,
 * and prom-client writes as `Nan`: Node's event-loop lag before its first measurement). Undefined when it is none.
 */
function sampleValue(text: string): number | undefined {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  return Number.isNaN(value) || text.trim() === '' ? undefined : value;
}

/** The value of the one sample with this name and these labels (and no others); 0 when there is none yet. */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (s) =>
      s.name === name &&
      Object.keys(s.labels).length === Object.keys(labels).length &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  assert.ok(found.length <= 1, `one sample of ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value ?? 0;
}
