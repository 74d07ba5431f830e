import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedMap } from '../../src/core/bounded-map.js';

test('a bounded map drops the oldest insertion to make room, and replacing a key takes no room', () => {
  const map = new BoundedMap<string, number>(2);
  map.set('a', 1).set('b', 2).set('a', 10);
  assert.deepEqual(
    [...map],
    [
      ['a', 10],
      ['b', 2],
    ],
  );
  map.set('c', 3);
  assert.deepEqual(
    [...map],
    [
      ['b', 2],
      ['c', 3],
    ],
  );
});
