import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { createClass, newInstructor } from '../quizzes/helpers.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t?.close());

test('a CSV download of a class with non-ASCII letters keeps them, in an RFC 5987 filename*', async () => {
  const teacher = await newInstructor(t.app, 'Ina Instructor', 'ina-names@example.com');
  const cls = await createClass(teacher, 'Économie Übung');
  for (const [path, stem] of [
    ['gradebook.csv', 'gradebook'],
    ['responses.csv', 'responses'],
  ] as const) {
    const res = await teacher.get(`/classes/${cls.id}/${path}`);
    assert.equal(res.status, 200, path);
    assert.match(res.headers['content-type']!, /^text\/csv; charset=utf-8/);
    const disposition = res.headers['content-disposition']!;
    assert.match(disposition, /^attachment; /);
    assert.ok(disposition.includes(`filename*=UTF-8''${encodeURIComponent(`${stem}-économie-übung.csv`)}`), disposition);
    // Old clients read the plain filename: ASCII only, the letters replaced, not dropped.
    assert.match(disposition, new RegExp(`filename="${stem}-\\?conomie-\\?bung\\.csv"`));
  }
});
