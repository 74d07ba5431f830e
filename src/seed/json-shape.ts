/**
 * A small typed reader for JSON documents that reports every problem with its JSON path (`$.clients[2].client_id`),
 * not just the first: the seed file is written by hand, and each run should show every fix to make. The shapes it
 * checks are the ones `schemas/gatehouse.seed.schema.json` declares; a test holds the two to agreement.
 */

export interface SeedProblem {
  /** JSONPath of the value at fault, `$` for the whole document. */
  path: string;
  message: string;
}

/** Reads a value at `path`, returning it typed, or undefined after adding what is wrong with it to `problems`. */
export type Reader<T> = (value: unknown, path: string, problems: SeedProblem[]) => T | undefined;

interface Field<T, R extends boolean = boolean> {
  read: Reader<T>;
  required: R;
}
export const required = <T>(read: Reader<T>): Field<T, true> => ({ read, required: true });
export const optional = <T>(read: Reader<T>): Field<T, false> => ({ read, required: false });

type Fields = Record<string, Field<unknown>>;
/** The object a set of fields reads to: required fields typed, optional ones possibly undefined. */
export type ObjectOf<F extends Fields> = {
  [K in keyof F as F[K]['required'] extends true ? K : never]: F[K] extends Field<infer T> ? T : never;
} & {
  [K in keyof F as F[K]['required'] extends true ? never : K]?: F[K] extends Field<infer T> ? T : never;
};

/** A JSON object with exactly these fields: an unknown one is reported too, as a typo would otherwise pass silently. */
export function object<F extends Fields>(fields: F): Reader<ObjectOf<F>> {
  return (value, path, problems) => {
    if (!isPlainObject(value)) return fail(problems, path, 'must be an object');
    const before = problems.length;
    const out: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(fields)) {
      if (value[name] === undefined) {
        if (field.required) problems.push({ path: `${path}.${name}`, message: 'is required' });
        continue;
      }
      out[name] = field.read(value[name], `${path}.${name}`, problems);
    }
    for (const name of Object.keys(value))
      if (!(name in fields))
        problems.push({ path: `${path}.${name}`, message: `is not a known field (known: ${Object.keys(fields).join(', ')})` });
    return problems.length === before ? (out as ObjectOf<F>) : undefined;
  };
}

/** Any JSON object, its values unread (a record's fields, which its module checks). */
export const anyObject: Reader<Record<string, unknown>> = (value, path, problems) =>
  isPlainObject(value) ? value : fail(problems, path, 'must be an object');

export function arrayOf<T>(item: Reader<T>): Reader<T[]> {
  return (value, path, problems) => {
    if (!Array.isArray(value)) return fail(problems, path, 'must be an array');
    const before = problems.length;
    const out = value.map((v, i) => item(v, `${path}[${i}]`, problems));
    return problems.length === before ? (out as T[]) : undefined;
  };
}

export interface StringRule {
  minLength?: number;
  maxLength?: number;
  /** Anchored; `shape` says in words what it asks for. */
  pattern?: RegExp;
  shape?: string;
}

export function string(rule: StringRule = {}): Reader<string> {
  const { minLength = 0, maxLength = Infinity, pattern, shape } = rule;
  return (value, path, problems) => {
    if (typeof value !== 'string') return fail(problems, path, 'must be a string');
    if (value.length < minLength)
      return fail(problems, path, minLength === 1 ? 'must not be empty' : `must be at least ${minLength} characters`);
    if (value.length > maxLength) return fail(problems, path, `must be at most ${maxLength} characters`);
    if (pattern && !pattern.test(value)) return fail(problems, path, `must be ${shape ?? `a string matching ${pattern.source}`}`);
    return value;
  };
}

export function oneOf<T extends string>(values: readonly T[]): Reader<T> {
  return (value, path, problems) =>
    typeof value === 'string' && (values as readonly string[]).includes(value)
      ? (value as T)
      : fail(problems, path, `must be one of ${values.join(', ')}`);
}

export const boolean: Reader<boolean> = (value, path, problems) =>
  typeof value === 'boolean' ? value : fail(problems, path, 'must be true or false');

function fail(problems: SeedProblem[], path: string, message: string): undefined {
  problems.push({ path, message });
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
