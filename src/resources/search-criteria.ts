/**
 * The `criteria` of Zoho CRM's search API: `(Field:operator:value)` conditions combined with `and`/`or` and
 * parentheses, e.g. `((Last_Name:equals:Burns\,B)and(First_Name:starts_with:M))`. In a value a backslash escapes the
 * next character, so `\(`, `\)`, `\,` and `\\` stand for themselves (Zoho's search-records page); the commas of `in`
 * and `between` separate values. This module only reads the text: which fields exist and which operators suit them is
 * decided against the module (`record-filter.ts`).
 */

export const CRITERIA_OPERATORS = ['equals', 'starts_with', 'in', 'between'] as const;
export type CriteriaOperator = (typeof CRITERIA_OPERATORS)[number];

export type Criteria =
  { kind: 'condition'; field: string; operator: CriteriaOperator; values: string[] } | { kind: 'and' | 'or'; operands: Criteria[] };

/** Zoho allows at most 10 conditions in one search. */
export const MAX_CONDITIONS = 10;
const MAX_LENGTH = 4_000;
const FIELD = /^[A-Za-z][A-Za-z0-9_]*$/;
/** `and` or `or` where the next group begins (sticky: read at `lastIndex` only). */
const JOINER = /(and|or)\s*(?=\()/iy;

/** Why criteria cannot be read, and where: the offset into the text. */
export class CriteriaError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'CriteriaError';
  }
}

/** Reads criteria text into its tree; throws `CriteriaError` for anything it cannot read. */
export function parseCriteria(text: string): Criteria {
  if (text.length > MAX_LENGTH) throw new CriteriaError(`criteria longer than ${MAX_LENGTH} characters`, MAX_LENGTH);
  const reader = new CriteriaReader(text);
  const criteria = reader.expression();
  reader.skipSpaces();
  if (!reader.atEnd()) throw new CriteriaError('unexpected text after the criteria', reader.position);
  if (reader.conditions > MAX_CONDITIONS) throw new CriteriaError(`at most ${MAX_CONDITIONS} conditions`, 0);
  return criteria;
}

class CriteriaReader {
  position = 0;
  conditions = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  skipSpaces(): void {
    while (this.text[this.position] === ' ') this.position++;
  }

  /** A group, then any number of `and`/`or` groups; one kind of joiner per level, as parentheses decide precedence. */
  expression(): Criteria {
    const operands = [this.group()];
    let joiner: 'and' | 'or' | undefined;
    for (;;) {
      this.skipSpaces();
      JOINER.lastIndex = this.position;
      const word = JOINER.exec(this.text)?.[1]?.toLowerCase() as 'and' | 'or' | undefined;
      if (word === undefined) break;
      if (joiner !== undefined && joiner !== word)
        throw new CriteriaError('and and or are mixed without parentheses to group them', this.position);
      joiner = word;
      this.position += word.length;
      operands.push(this.group());
    }
    return joiner === undefined ? operands[0]! : { kind: joiner, operands };
  }

  /** `(` then either a nested expression or a condition, then `)`. */
  private group(): Criteria {
    this.skipSpaces();
    this.expect('(');
    if (++this.depth > MAX_CONDITIONS) throw new CriteriaError('parentheses nested too deeply', this.position);
    this.skipSpaces();
    const inner = this.text[this.position] === '(' ? this.expression() : this.condition();
    this.skipSpaces();
    this.expect(')');
    this.depth--;
    return inner;
  }

  private condition(): Criteria {
    const start = this.position;
    const field = this.until(':', 'a field name');
    if (!FIELD.test(field)) throw new CriteriaError(`"${field}" is not a field's API name`, start);
    this.position++;
    const operatorStart = this.position;
    const operator = this.until(':', 'an operator').toLowerCase();
    if (!(CRITERIA_OPERATORS as readonly string[]).includes(operator))
      throw new CriteriaError(`unknown operator "${operator}"`, operatorStart);
    this.position++;
    const values = this.values(operator === 'in' || operator === 'between');
    if (operator === 'between' && values.length !== 2)
      throw new CriteriaError('between takes two values separated by a comma', operatorStart);
    if (values.some((v) => v === '')) throw new CriteriaError('a value is empty', operatorStart);
    this.conditions++;
    return { kind: 'condition', field, operator: operator as CriteriaOperator, values };
  }

  /** The text up to `stop` (not consumed); no escapes or parentheses allowed in field names and operators. */
  private until(stop: string, what: string): string {
    const start = this.position;
    while (!this.atEnd() && this.text[this.position] !== stop) {
      if ('()\\,'.includes(this.text[this.position]!)) throw new CriteriaError(`expected ${what}`, this.position);
      this.position++;
    }
    if (this.atEnd()) throw new CriteriaError(`expected ${what} followed by "${stop}"`, start);
    return this.text.slice(start, this.position);
  }

  /** Values up to the closing parenthesis, unescaped; commas separate them when `list`, else belong to the value. */
  private values(list: boolean): string[] {
    const values: string[] = [];
    let current = '';
    for (;;) {
      const c = this.text[this.position];
      if (c === undefined) throw new CriteriaError('a condition is not closed with ")"', this.position);
      if (c === ')') break;
      if (c === '(') throw new CriteriaError('a "(" in a value must be escaped as "\\("', this.position);
      if (c === '\\') {
        const next = this.text[this.position + 1];
        if (next === undefined) throw new CriteriaError('a value ends with a lone backslash', this.position);
        current += next;
        this.position += 2;
        continue;
      }
      if (c === ',' && list) {
        values.push(current);
        current = '';
      } else {
        current += c;
      }
      this.position++;
    }
    values.push(current);
    return values;
  }

  private expect(c: string): void {
    if (this.text[this.position] !== c) throw new CriteriaError(`expected "${c}"`, this.position);
    this.position++;
  }
}
