import { sql, type Expression, type SqlBool } from 'kysely';
import type { RecordFilter } from '../../resources/record-repository.js';
import type { Dialect } from './migrations.js';

/**
 * `RecordFilter` as SQL over the records' JSON `data` column, in each dialect's JSON functions (SQLite `json_extract`,
 * PostgreSQL `jsonb`). Field names and values are bound as parameters, never spliced into the text. A value of the
 * wrong JSON type never matches: a text condition skips numbers, a number condition skips strings, in both dialects.
 */
export function recordFilterSql(dialect: Dialect, filter: RecordFilter): Expression<SqlBool> {
  const json = dialect === 'sqlite' ? SQLITE : POSTGRES;
  const compile = (f: RecordFilter): Expression<SqlBool> => {
    switch (f.kind) {
      case 'and':
      case 'or':
        return sql<SqlBool>`(${sql.join(f.filters.map(compile), sql.raw(f.kind === 'and' ? ' and ' : ' or '))})`;
      case 'equals':
      case 'in':
        return sql<SqlBool>`${json.value(f.field)} in (${sql.join(f.values.map((v) => json.literal(f.as, v)))})`;
      case 'between':
        return json.between(f.field, f.as, f.from, f.to);
      case 'starts_with':
        return json.startsWith(json.text(f.field), f.value);
      case 'contains':
        return json.contains(json.text(f.field), f.value);
    }
  };
  return compile(filter);
}

interface JsonDialect {
  /** The field's JSON value, comparable with `literal`s of either type. */
  value(field: string): Expression<unknown>;
  literal(as: 'text' | 'number', value: string | number): Expression<unknown>;
  /** The field's value as text when it is a JSON string, else null. */
  text(field: string): Expression<string>;
  between(field: string, as: 'text' | 'number', from: string | number, to: string | number): Expression<SqlBool>;
  /** Case-sensitive prefix and substring tests (not LIKE, which SQLite folds for ASCII and which needs escaping). */
  startsWith(text: Expression<string>, prefix: string): Expression<SqlBool>;
  contains(text: Expression<string>, part: string): Expression<SqlBool>;
}

// SQLite compares json_extract's result by storage class: a TEXT never equals or falls between INTEGER/REAL bounds,
// and the other way round, so the plain comparisons already keep to the condition's type.
const SQLITE: JsonDialect = {
  value: (field) => sql`json_extract(data, ${`$.${field}`})`,
  literal: (_as, value) => sql`${value}`,
  text: (field) => sql<string>`(case when json_type(data, ${`$.${field}`}) = 'text' then json_extract(data, ${`$.${field}`}) end)`,
  between: (field, _as, from, to) => sql<SqlBool>`json_extract(data, ${`$.${field}`}) between ${from} and ${to}`,
  startsWith: (text, prefix) => sql<SqlBool>`substr(${text}, 1, length(${prefix})) = ${prefix}`,
  contains: (text, part) => sql<SqlBool>`instr(${text}, ${part}) > 0`,
};

const POSTGRES: JsonDialect = {
  value: (field) => sql`(data::jsonb -> ${field}::text)`,
  literal: (as, value) => (as === 'number' ? sql`to_jsonb(${value}::numeric)` : sql`to_jsonb(${value}::text)`),
  text: (field) => sql<string>`(case when jsonb_typeof(data::jsonb -> ${field}::text) = 'string' then data::jsonb ->> ${field}::text end)`,
  between: (field, as, from, to) =>
    as === 'number'
      ? sql<SqlBool>`(data::jsonb -> ${field}::text) between to_jsonb(${from}::numeric) and to_jsonb(${to}::numeric)`
      : // "C": compare code points, as SQLite does, not a locale's collation (which may skip punctuation).
        sql<SqlBool>`(case when jsonb_typeof(data::jsonb -> ${field}::text) = 'string' then data::jsonb ->> ${field}::text end) collate "C" between ${from}::text and ${to}::text`,
  startsWith: (text, prefix) => sql<SqlBool>`left(${text}, length(${prefix}::text)) = ${prefix}::text`,
  contains: (text, part) => sql<SqlBool>`strpos(${text}, ${part}::text) > 0`,
};
