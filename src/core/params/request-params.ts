import { invalidRequest } from '../errors/oauth-error.js';

/**
 * The parameters of one OAuth request, gathered from every place they may arrive (query string, form or multipart
 * body; spec decision 5). RFC 6749 §3.2 and §3.1: "Request and response parameters MUST NOT be included more than
 * once" and "Parameters sent without a value MUST be treated as if they were omitted".
 */
/** RFC 8707 §2: `resource` may be given more than once, one target each. No other parameter may. */
const REPEATABLE: ReadonlySet<string> = new Set(['resource']);
const NONE: readonly string[] = Object.freeze([]);

export class RequestParams {
  private constructor(
    private readonly values: ReadonlyMap<string, string>,
    /** The second and later values of a repeatable parameter; absent (nothing allocated) when none was repeated. */
    private readonly repeats?: ReadonlyMap<string, readonly string[]>,
  ) {}

  /**
   * Merges parameter sources; a name seen twice anywhere, a value over `maxLength`, or one holding a NUL character
   * (no parameter has a use for one, and PostgreSQL cannot store it in text) is `invalid_request`.
   */
  static from(sources: Iterable<Iterable<readonly [string, string]>>, maxLength: number): RequestParams {
    const values = new Map<string, string>();
    let repeats: Map<string, string[]> | undefined;
    for (const source of sources) {
      for (const [name, value] of source) {
        if (value.length > maxLength) {
          throw invalidRequest('invalid_parameter', `The parameter ${name} is longer than ${maxLength} characters.`);
        }
        if (value.includes('\u0000')) throw invalidRequest('invalid_parameter', `The parameter ${name} contains a NUL character.`);
        if (!values.has(name)) values.set(name, value);
        else if (REPEATABLE.has(name)) {
          repeats ??= new Map();
          repeats.set(name, [...(repeats.get(name) ?? []), value]);
        } else throw invalidRequest('duplicate_parameter', `The parameter ${name} was given more than once.`);
      }
    }
    return new RequestParams(values, repeats);
  }

  static of(record: Record<string, string>): RequestParams {
    return new RequestParams(new Map(Object.entries(record)));
  }

  /** Every parameter as given, empty ones included, in arrival order. */
  entries(): IterableIterator<[string, string]> {
    return this.values.entries();
  }

  /** The value, or undefined when absent or empty. */
  get(name: string): string | undefined {
    const value = this.values.get(name);
    return value === undefined || value === '' ? undefined : value;
  }

  /** Every non-empty value of a repeatable parameter (`resource`), in the order given; empty when there is none. */
  all(name: string): readonly string[] {
    const first = this.get(name);
    if (first === undefined) return NONE;
    const more = this.repeats?.get(name);
    return more === undefined ? [first] : [first, ...more.filter((v) => v !== '')];
  }

  require(name: string): string {
    const value = this.get(name);
    if (value === undefined) throw invalidRequest('missing_parameter', `The parameter ${name} is required.`);
    return value;
  }
}
