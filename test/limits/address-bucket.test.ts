import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressBucket } from '../../src/core/limits/address-bucket.js';

test('IPv4 addresses count one by one; IPv4-mapped IPv6 counts as the IPv4 address', () => {
  assert.equal(addressBucket('203.0.113.7'), '203.0.113.7');
  assert.equal(addressBucket('::ffff:203.0.113.7'), '203.0.113.7');
  assert.equal(addressBucket('::FFFF:203.0.113.7'), '203.0.113.7');
});

test('IPv6 addresses count by their /64, however they are written', () => {
  const bucket = '2001:db8:85a3:42::/64';
  for (const address of [
    '2001:db8:85a3:42::1',
    '2001:0db8:85a3:0042:ffff:ffff:ffff:ffff',
    '2001:db8:85a3:42:1:2:3:4',
    '2001:db8:85a3:42::192.0.2.1',
    '2001:db8:85a3:42::1%eth0',
  ])
    assert.equal(addressBucket(address), bucket, address);
  assert.notEqual(addressBucket('2001:db8:85a3:43::1'), bucket);
  assert.equal(addressBucket('::1'), '0:0:0:0::/64');
  assert.equal(addressBucket('fe80::1'), 'fe80:0:0:0::/64');
  assert.equal(addressBucket('2001:db8::'), '2001:db8:0:0::/64');
});

test('anything that is not an address is counted as it is', () => {
  for (const value of ['', 'unknown', '1.2.3', '::ffff:999.1.1.1', 'gggg::1']) assert.equal(addressBucket(value), value);
});
