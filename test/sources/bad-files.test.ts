import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { addSource, REFUSALS, SourceFileError, type SourceFormat } from '../../server/sources/index.ts';
import { Source } from '../../server/sources/model.ts';
import { makeEncryptedPdf, makeImageOnlyPdf, makePdf } from './extract/make-files.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const instructor = { id: 'u-instructor', role: 'instructor' };
const limits = { maxBytes: 200_000, maxPages: 3, maxPassages: 5000 };
const bytes = (s: string) => new TextEncoder().encode(s);

async function refused(format: SourceFormat, data: Uint8Array, message: string | RegExp) {
  const before = await Source.countDocuments();
  await assert.rejects(addSource(instructor, { format, bytes: data, title: 'A try' }, limits), (err: unknown) => {
    assert.ok(err instanceof SourceFileError, String(err));
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
  assert.equal(await Source.countDocuments(), before, 'nothing written');
}

test('a file named .pdf that is not a PDF is refused', () => refused('pdf', bytes('hello, not a pdf'), REFUSALS.notPdf));
test('an encrypted PDF is refused', async () => refused('pdf', await makeEncryptedPdf(), REFUSALS.encrypted));
test('a scanned PDF with no text layer: "this PDF has no text we can read"', async () =>
  refused('pdf', await makeImageOnlyPdf(), /^This PDF has no text we can read/));
test('an empty document is refused', () => refused('text', bytes('  \n\n \n'), REFUSALS.empty));
test('a binary file renamed .txt is refused', () => refused('text', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0xff, 0xfe]), REFUSALS.binaryText));
test('a file named .docx that is not one is refused', () => refused('docx', bytes('plain words'), REFUSALS.notDocx));
test('a file over the size limit is refused', () => refused('text', bytes('word '.repeat(50_000)), /Lectern takes files up to 0\.2 MB/));
test('a PDF over the page limit is refused', async () =>
  refused('pdf', await makePdf([[{ text: 'a b' }], [{ text: 'c d' }], [{ text: 'e f' }], [{ text: 'g h' }]]), /has 4 pages; Lectern takes at most 3/));
test('a student may not add a source', async () => {
  await assert.rejects(addSource({ id: 's', role: 'student' }, { format: 'text', bytes: bytes('Some text.'), title: 'x' }, limits), /Only instructors/);
});
test('a good document is stored with its owner, format and passages', async () => {
  const id = await addSource(instructor, { format: 'text', bytes: bytes('First paragraph.\n\nSecond paragraph.\n'), title: 'Notes on rivers' }, limits);
  const doc = await Source.findById(id).lean();
  assert.equal(doc!.ownerId, instructor.id);
  assert.equal(doc!.passages.length, 2);
});

test('uploads are read in a worker thread: a refusal comes back from it, and a read past its time limit is stopped', async () => {
  const { readSourceFileOffThread } = await import('../../server/sources/add-source.ts');
  await assert.rejects(
    readSourceFileOffThread({ format: 'pdf', bytes: bytes('no pdf') }, { ...limits, timeoutMs: 60_000 }),
    (e: unknown) => e instanceof SourceFileError && e.message === REFUSALS.notPdf,
  );
  const doc = await readSourceFileOffThread({ format: 'text', bytes: bytes('One.\n\nTwo.') }, { ...limits, timeoutMs: 60_000 });
  assert.equal(doc.passages.length, 2);
  await assert.rejects(readSourceFileOffThread({ format: 'pdf', bytes: await makePdf([[{ text: 'a b' }]]) }, { ...limits, timeoutMs: 1 }), /took longer than/);
});
