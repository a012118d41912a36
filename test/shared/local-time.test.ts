import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalTimeZone, formatTime, inputDate, timeZoneOptions, TIME_ZONES, zonedInput } from '../../server/formatting/index.ts';

test('a datetime-local value is read in the zone given, across a DST change', () => {
  assert.equal(new Date(zonedInput('2026-12-03T17:00', 'Australia/Sydney') as string).toISOString(), '2026-12-03T06:00:00.000Z');
  assert.equal(new Date(zonedInput('2026-07-03T17:00', 'Australia/Sydney') as string).toISOString(), '2026-07-03T07:00:00.000Z');
  assert.equal(new Date(zonedInput('2026-03-01T09:00', 'UTC') as string).toISOString(), '2026-03-01T09:00:00.000Z');
  // 01:30 does not exist in London on 29 Mar 2026: it moves forward to 02:30 BST (01:30 UTC).
  assert.equal(new Date(zonedInput('2026-03-29T01:30', 'Europe/London') as string).toISOString(), '2026-03-29T01:30:00.000Z');
  // Not a datetime-local value: left for the schema to refuse.
  assert.equal(zonedInput('next tuesday', 'UTC'), 'next tuesday');
  assert.equal(zonedInput(['x'], 'UTC') instanceof Array, true);
});

test('times are shown and put back into inputs in the viewer zone', () => {
  const due = new Date('2026-12-03T06:00:00Z');
  assert.equal(formatTime(due, 'Europe/London'), '3 Dec 2026, 06:00 GMT');
  assert.equal(formatTime(due), '3 Dec 2026, 06:00 UTC');
  assert.match(formatTime(due, 'Australia/Sydney'), /^3 Dec 2026, 17:00 GMT\+11$/);
  assert.equal(inputDate(due, 'Australia/Sydney'), '2026-12-03T17:00');
  assert.equal(formatTime(null, 'Europe/London'), '—');
});

test('time zones are checked against Intl and spelled canonically', () => {
  assert.equal(canonicalTimeZone('Europe/London'), 'Europe/London');
  assert.equal(canonicalTimeZone('europe/london'), 'Europe/London');
  assert.equal(canonicalTimeZone('Etc/UTC'), 'UTC');
  assert.equal(canonicalTimeZone('Europe/Atlantis'), null);
  assert.equal(canonicalTimeZone(''), null);
  assert.equal(canonicalTimeZone({ $ne: 1 }), null);
  assert.equal(canonicalTimeZone('x'.repeat(100)), null);
});

test('the time-zone select lists every zone once, with exactly the saved one selected', () => {
  const html = timeZoneOptions('Australia/Sydney');
  assert.equal((html.match(/<option /g) ?? []).length, TIME_ZONES.length);
  assert.deepEqual(
    [...html.matchAll(/<option value="([^"]+)" selected>/g)].map((m) => m[1]),
    ['Australia/Sydney'],
  );
  assert.equal((timeZoneOptions('').match(/ selected/g) ?? []).length, 0, 'nothing saved: nothing selected');
  // A saved zone this runtime does not list stays on the page, first and selected; it is escaped.
  const odd = timeZoneOptions('Mars/<Olympus>');
  assert.ok(odd.startsWith('<option value="Mars/&lt;Olympus&gt;" selected>Mars/&lt;Olympus&gt;</option>'));
  assert.equal((odd.match(/ selected/g) ?? []).length, 1);
});
