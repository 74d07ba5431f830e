import { deepFreeze } from '../core/deep-freeze.js';

/**
 * `derive`, computed once per row the store's read cache handed out rather than on every request. Those rows are frozen
 * and replaced by a new object on any change (`storage/sql/read-cache.ts`), so what is derived from one can never be
 * stale; it is shared by every later request, so it is frozen too. A row that is not frozen (a fresh read, PostgreSQL)
 * is derived every time.
 */
export function oncePerRememberedRow<Row extends object, Value extends object | string>(derive: (row: Row) => Value): (row: Row) => Value {
  const derived = new WeakMap<Row, Value>();
  return (row) => {
    const known = derived.get(row);
    if (known !== undefined) return known;
    const value = derive(row);
    if (Object.isFrozen(row)) derived.set(row, deepFreeze(value));
    return value;
  };
}
