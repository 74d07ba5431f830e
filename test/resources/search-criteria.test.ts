import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CRITERIA_OPERATORS, CriteriaError, MAX_CONDITIONS, parseCriteria, type Criteria } from '../../src/resources/search-criteria.js';

/** Criteria as a client writes them: every `(`, `)`, `,` and `\` of a value escaped; one joiner per level. */
function print(c: Criteria): string {
  if (c.kind !== 'condition') return `(${c.operands.map(print).join(c.kind)})`;
  return `(${c.field}:${c.operator}:${c.values.map((v) => v.replace(/[()\\,]/g, (m) => `\\${m}`)).join(',')})`;
}

/** Records with Object's prototype, as the parser makes them, so deepEqual compares like with like. */
const PLAIN = { noNullPrototype: true } as const;
const field = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,20}$/);
const value = fc.string({
  minLength: 1,
  maxLength: 12,
  unit: fc.constantFrom('a', 'Z', ' ', '(', ')', ',', '\\', ':', 'é', '0', '%', '_'),
});
const condition: fc.Arbitrary<Criteria> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('condition' as const),
      field,
      operator: fc.constantFrom('equals' as const, 'starts_with' as const),
      values: fc.tuple(value),
    },
    PLAIN,
  ),
  fc.record(
    {
      kind: fc.constant('condition' as const),
      field,
      operator: fc.constant('in' as const),
      values: fc.array(value, { minLength: 1, maxLength: 4 }),
    },
    PLAIN,
  ),
  fc.record(
    { kind: fc.constant('condition' as const), field, operator: fc.constant('between' as const), values: fc.tuple(value, value) },
    PLAIN,
  ),
);
const criteria: fc.Arbitrary<Criteria> = fc
  .letrec<{ node: Criteria }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      condition,
      fc.record(
        { kind: fc.constantFrom('and' as const, 'or' as const), operands: fc.array(tie('node'), { minLength: 2, maxLength: 3 }) },
        PLAIN,
      ),
    ),
  }))
  .node.filter((c) => conditionsIn(c) <= MAX_CONDITIONS && depthOf(c) <= MAX_CONDITIONS);

function conditionsIn(c: Criteria): number {
  return c.kind === 'condition' ? 1 : c.operands.reduce((n, o) => n + conditionsIn(o), 0);
}
function depthOf(c: Criteria): number {
  return c.kind === 'condition' ? 1 : 1 + Math.max(...c.operands.map(depthOf));
}

describe('search criteria', () => {
  test("Zoho's examples: and/or, escapes, in and between", () => {
    assert.deepEqual(parseCriteria('((Last_Name:equals:Burns\\,B)and(First_Name:starts_with:M))'), {
      kind: 'and',
      operands: [
        { kind: 'condition', field: 'Last_Name', operator: 'equals', values: ['Burns,B'] },
        { kind: 'condition', field: 'First_Name', operator: 'starts_with', values: ['M'] },
      ],
    });
    assert.deepEqual(parseCriteria('(Company:equals:Zylker \\(East\\))'), {
      kind: 'condition',
      field: 'Company',
      operator: 'equals',
      values: ['Zylker (East)'],
    });
    assert.deepEqual(parseCriteria('(Lead_Source:in:Partner,Cold Call)'), {
      kind: 'condition',
      field: 'Lead_Source',
      operator: 'in',
      values: ['Partner', 'Cold Call'],
    });
    assert.deepEqual(parseCriteria('((Amount:between:10,20) OR ( Stage:EQUALS:Proposal ))'), {
      kind: 'or',
      operands: [
        { kind: 'condition', field: 'Amount', operator: 'between', values: ['10', '20'] },
        { kind: 'condition', field: 'Stage', operator: 'equals', values: ['Proposal '] },
      ],
    });
    // Parentheses decide how and/or combine.
    const nested = parseCriteria('(((A:equals:1)and(B:equals:2))or(C:equals:3))');
    assert.equal(nested.kind, 'or');
    assert.equal(nested.kind === 'or' && nested.operands[0]!.kind, 'and');
    // A colon belongs to the value (times carry them).
    assert.deepEqual(parseCriteria('(T:equals:10:00)'), { kind: 'condition', field: 'T', operator: 'equals', values: ['10:00'] });
  });

  test('what cannot be read is a CriteriaError that says why and where', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /expected "\("/],
      ['Last_Name:equals:x', /expected "\("/],
      ['(Last_Name:equals:x', /not closed/],
      ['(Last_Name:likes:x)', /unknown operator "likes"/],
      ['(Last Name:equals:x)', /not a field's API name/],
      ['(Last_Name:equals:)', /empty/],
      ['(Last_Name:equals:a(b)', /must be escaped/],
      ['(Last_Name:equals:ab\\', /lone backslash/],
      ['(Amount:between:1)', /two values/],
      ['(Amount:between:1,2,3)', /two values/],
      ['(Lead_Source:in:a,,b)', /empty/],
      ['((A:equals:1)and(B:equals:2)or(C:equals:3))', /mixed/],
      ['(A:equals:1)junk', /unexpected text/],
      ['(A:equals:1)and', /unexpected text/],
      ['(A)', /expected a field name/],
      ['(A:equals', /followed by ":"/],
      [Array.from({ length: 11 }, (_, i) => `(F${i}:equals:x)`).join('and'), /at most 10/],
      ['('.repeat(5_000), /longer than/],
      ['('.repeat(50) + '(A:equals:1)' + ')'.repeat(50), /nested too deeply/],
    ];
    for (const [text, reason] of cases) {
      assert.throws(
        () => parseCriteria(text),
        (err) => err instanceof CriteriaError && reason.test(err.message) && err.position >= 0,
        text.slice(0, 60),
      );
    }
  });

  test('property: printing then parsing gives the same criteria back', () => {
    fc.assert(
      fc.property(criteria, (c) => {
        assert.deepEqual(parseCriteria(print(c)), c);
      }),
      { numRuns: 300 },
    );
  });

  test('property: any text either parses or fails with a CriteriaError, never anything else', () => {
    const alphabet = fc.constantFrom('(', ')', ':', ',', '\\', ' ', 'a', 'n', 'd', 'o', 'r', 'A', '_', '1', ...CRITERIA_OPERATORS);
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join('')),
        (text) => {
          try {
            parseCriteria(text);
          } catch (err) {
            assert.ok(err instanceof CriteriaError, String(err));
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
