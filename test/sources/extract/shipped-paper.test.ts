import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { extractDocument } from '../../../server/sources/extract/index.ts';
import { SHIPPED_SOURCES, shippedDocument } from '../../../seed/seed-database.ts';

test('the shipped paper, read as an upload of its text, keeps every passage id, section and hash it had', async () => {
  const before = JSON.parse(await readFile(new URL('../fixtures/shipped-passages-before.json', import.meta.url), 'utf8')) as {
    sections: Array<{ slug: string; title: string }>;
    passages: Array<{ id: string; section: string; hash: string }>;
  };
  const shipped = await shippedDocument(SHIPPED_SOURCES[0]!);
  const doc = await extractDocument(shipped, { maxPages: 50, maxPassages: 5000 });
  assert.deepEqual(doc.sections, before.sections);
  assert.deepEqual(
    doc.passages.map((p) => ({ id: p.id, section: p.section, hash: p.hash })),
    before.passages,
  );
});
