import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractDocument, type SourceFormat } from '../../../server/sources/extract/index.ts';
import { makeDocx, makePdf } from './make-files.ts';

const limits = { maxPages: 50, maxPassages: 5000 };
const run = (format: SourceFormat, content: string | Uint8Array) =>
  extractDocument({ format, bytes: typeof content === 'string' ? new TextEncoder().encode(content) : content }, limits);

test('pasted text: short lines standing alone are headings, paragraphs are passages with section ids', async () => {
  const doc = await run(
    'text',
    'Opening words of the\nintroduction.\n\nMethods\n\nWe sampled ten rivers\nin two seasons.\n\nResults {#findings}\n\nFlow fell by a third.\n',
  );
  assert.deepEqual(
    doc.sections.map((s) => [s.slug, s.title]),
    [
      ['intro', 'Introduction'],
      ['methods', 'Methods'],
      ['findings', 'Results'],
    ],
  );
  assert.deepEqual(
    doc.passages.map((p) => [p.id, p.text]),
    [
      ['intro-1', 'Opening words of the introduction.'],
      ['methods-1', 'We sampled ten rivers in two seasons.'],
      ['findings-1', 'Flow fell by a third.'],
    ],
  );
  assert.match(doc.guesses.join(' '), /Guessed 2 headings/);
  assert.match(doc.passages[0]!.hash, /^[0-9a-f]{16}$/);
});

test('the same text gets the same ids and hashes every time', async () => {
  const text = 'Intro line.\n\nPart one\n\nAlpha beta.\n\nGamma delta.\n';
  const [a, b] = [await run('text', text), await run('text', text)];
  assert.deepEqual(a.passages, b.passages);
});

test('hyphenation at line ends and ligature splits are repaired; compounds the text spells with a hyphen stay', async () => {
  const doc = await run(
    'text',
    'The fi gures show a unifi ed exam-\nple of border-\ndemarcation, like other border-demarcation work. The staff meeting ran off the rails.\n',
  );
  assert.equal(
    doc.passages[0]!.text,
    'The figures show a unified example of border-demarcation, like other border-demarcation work. The staff meeting ran off the rails.',
  );
  assert.match(doc.guesses.join(' '), /hyphenated at line ends/);
  assert.match(doc.guesses.join(' '), /split at ligatures/);
});

test('notes: numbered lines of an Endnotes section are passages of their own', async () => {
  const doc = await run('text', 'Body text here.\n\nEndnotes\n1 First note that wraps\nonto a second line.\n2 Second note.\n');
  assert.deepEqual(
    doc.passages.filter((p) => p.section === 'endnotes').map((p) => [p.id, p.text, p.note]),
    [
      ['endnotes-1', '1 First note that wraps onto a second line.', true],
      ['endnotes-2', '2 Second note.', true],
    ],
  );
});

test('Markdown: the lone h1 is the title, headings are sections, footnotes become notes and their markers leave the text', async () => {
  const doc = await run(
    'markdown',
    '# River law\n\nWater is *shared*.[^1]\n\n## Treaties {#treaties}\n\n- Upstream states agree.\n- Downstream states verify.\n\n[^1]: See the 1997 convention.\n',
  );
  assert.equal(doc.title, 'River law');
  assert.deepEqual(
    doc.passages.map((p) => [p.id, p.text]),
    [
      ['intro-1', 'Water is shared.'],
      ['treaties-1', 'Upstream states agree.'],
      ['treaties-2', 'Downstream states verify.'],
      ['notes-1', '1 See the 1997 convention.'],
    ],
  );
});

test("PDF: the title in the document's metadata is offered, trimmed; none when it is blank", async () => {
  const titled = await run('pdf', await makePdf([[{ text: 'Rivers cross borders.' }]], { title: '  Water law  ' }));
  assert.equal(titled.title, 'Water law');
  const blank = await run('pdf', await makePdf([[{ text: 'Rivers cross borders.' }]], { title: '   ' }));
  assert.equal(blank.title, undefined);
});

test('PDF: headings from font size, paragraphs from line gaps, running header and page numbers dropped, raised footnote markers removed, small numbered lines become notes', async () => {
  const pdf = await makePdf(
    [
      [
        { text: 'Rivers and borders', size: 18 },
        { text: 'Rivers cross borders and so do', gap: 8 },
        { text: 'their quarrels over water.', marker: '1' },
        { text: 'A second paragraph begins', gap: 10 },
        { text: 'after a wider gap.' },
        { text: '1 A note about the treaty.', size: 8, gap: 40 },
      ],
      [
        { text: 'Allocation', size: 18 },
        { text: 'Quotas are set each spring.', gap: 8 },
      ],
      [{ text: 'Trading lets farmers sell water.' }],
    ],
    { header: 'Journal of Water 12 (2024)', pageNumbers: true },
  );
  const doc = await run('pdf', pdf);
  assert.deepEqual(
    doc.sections.map((s) => s.slug),
    ['rivers-and-borders', 'allocation', 'notes'],
  );
  assert.deepEqual(
    doc.passages.map((p) => [p.id, p.text]),
    [
      ['rivers-and-borders-1', 'Rivers cross borders and so do their quarrels over water.'],
      ['rivers-and-borders-2', 'A second paragraph begins after a wider gap.'],
      ['allocation-1', 'Quotas are set each spring.'],
      ['allocation-2', 'Trading lets farmers sell water.'],
      ['notes-1', '1 A note about the treaty.'],
    ],
  );
  assert.equal(doc.pages, 3);
  const said = doc.guesses.join(' ');
  assert.match(said, /running header, footer or page-number lines/);
  assert.match(said, /footnote marker/);
  assert.match(said, /from their larger font size/);
});

test('DOCX: heading styles are sections, footnotes are notes without their markers in the text', async () => {
  const doc = await run('docx', await makeDocx());
  assert.equal(doc.title, 'Water policy');
  assert.deepEqual(
    doc.passages.map((p) => [p.id, p.text]),
    [
      ['intro-1', 'Rivers cross borders, and so do their quarrels.'],
      ['allocation-1', 'Quotas are set each spring.'],
      ['allocation-2', 'Trading lets farmers sell what they do not use.'],
      ['notes-1', '1 Charter of the organisation, 2002.'],
    ],
  );
});
