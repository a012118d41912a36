import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { unzipSync, strFromU8 } from 'fflate';
import type request from 'supertest';
import { startTestApp, loginAs, type TestApp } from '../../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../../server/accounts/demo-accounts.ts';
import { questionDefinition, type QuestionDefinition } from '../../../server/questions/definition.ts';
import { buildAnkiPackage } from '../../../server/banks/formats/anki-package/index.ts';
import { MODEL_IDS } from '../../../server/banks/formats/anki-package/collection.ts';
import { Bank } from '../../../server/banks/model.ts';
import { DEFAULTS, SOURCE, importThrough, liveDefinitions, newBank } from './helpers.ts';

/* The .apkg export, read back as Anki reads it: a zip of a SQLite collection and a media map. */

const meta = { topics: ['members'], difficulty: 'medium' as const, source: SOURCE, explanation: 'From the *background* section.' };
const DEFS: QuestionDefinition[] = [
  { ...meta, id: 'sco-origin', prompt: 'What preceded the SCO?', type: 'card', back: 'The Shanghai Five' },
  {
    ...meta,
    id: 'founded',
    prompt: 'Fill in the blank.',
    type: 'cloze',
    text: 'The {{1}} became the SCO in {{2}}.',
    blanks: [{ answers: ['Shanghai Five'] }, { answers: ['2001', 'two thousand one'] }],
  },
  {
    ...meta,
    id: 'xss',
    prompt: 'Which <script>alert(1)</script> is <img src=x onerror=alert(2)> a member?',
    type: 'mcq',
    choices: [
      { id: 'a', text: 'China' },
      { id: 'b', text: 'Australia' },
    ],
    answer: 'a',
  },
].map((d) => questionDefinition.parse(d));

const NOW = new Date('2026-12-04T12:00:00Z');

/** The package's collection, opened read-only from its bytes, and the media map. */
function openPackage(bytes: Uint8Array) {
  const files = unzipSync(bytes);
  assert.deepEqual(Object.keys(files).sort(), ['collection.anki2', 'media']);
  const db = new Database(Buffer.from(files['collection.anki2']!), { readonly: true });
  return { db, media: JSON.parse(strFromU8(files.media!)) as unknown };
}

interface NoteRow {
  id: number;
  guid: string;
  mid: number;
  flds: string;
  tags: string;
  sfld: string;
  csum: number;
}

test('the package is a valid Anki collection: schema 11, two note types, the bank as a deck, no media', () => {
  const { db, media } = openPackage(buildAnkiPackage(DEFS, { deck: 'SCO :: practice', bankKey: 'bank-1', now: NOW }));
  try {
    assert.deepEqual(media, {});
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    const col = db.prepare('SELECT * FROM col').all() as { ver: number; models: string; decks: string; dconf: string; conf: string }[];
    assert.equal(col.length, 1);
    assert.equal(col[0]!.ver, 11);
    const models = JSON.parse(col[0]!.models) as Record<string, { name: string; type: number; flds: { name: string }[]; tmpls: { qfmt: string }[] }>;
    assert.deepEqual(Object.keys(models).sort(), [String(MODEL_IDS.basic), String(MODEL_IDS.cloze)]);
    assert.deepEqual(
      models[MODEL_IDS.basic]!.flds.map((f) => f.name),
      ['Front', 'Back', 'Explanation', 'Source'],
    );
    assert.equal(models[MODEL_IDS.cloze]!.type, 1);
    assert.match(models[MODEL_IDS.cloze]!.tmpls[0]!.qfmt, /\{\{cloze:Text\}\}/);
    const decks = Object.values(JSON.parse(col[0]!.decks) as Record<string, { name: string; conf: number }>);
    // "::" makes a sub-deck in Anki: a title keeps its words, not a hierarchy it never meant.
    assert.deepEqual(decks.map((d) => d.name).sort(), ['Default', 'SCO : practice']);
    assert.ok(JSON.parse(col[0]!.dconf)['1'], 'every deck points at options that exist');
  } finally {
    db.close();
  }
});

test('every question is a note with its answer, explanation and passage; a cloze is an Anki cloze with a card a blank', () => {
  const { db } = openPackage(buildAnkiPackage(DEFS, { deck: 'SCO', bankKey: 'bank-1', now: NOW }));
  try {
    const notes = db.prepare('SELECT * FROM notes ORDER BY id').all() as NoteRow[];
    assert.equal(notes.length, 3);
    const [card, cloze, mcq] = notes.map((n) => ({ ...n, fields: n.flds.split('\x1f') }));
    assert.equal(card!.mid, MODEL_IDS.basic);
    assert.deepEqual(card!.fields.slice(0, 2), ['What preceded the SCO?', 'The Shanghai Five']);
    assert.equal(card!.fields[2], '<p>From the <em>background</em> section.</p>');
    assert.match(card!.fields[3]!, /“Shanghai Five”.*\(background-1\)/);
    assert.equal(card!.tags, ' members ');
    assert.equal(card!.sfld, 'What preceded the SCO?');
    assert.ok(Number.isInteger(card!.csum) && card!.csum > 0);

    assert.equal(cloze!.mid, MODEL_IDS.cloze);
    assert.equal(cloze!.fields[0], 'The {{c1::Shanghai Five}} became the SCO in {{c2::2001}}.');
    const clozeCards = db.prepare('SELECT ord FROM cards WHERE nid = ? ORDER BY ord').all(cloze!.id) as { ord: number }[];
    assert.deepEqual(
      clozeCards.map((c) => c.ord),
      [0, 1],
    );

    assert.match(mcq!.fields[0]!, /A\. China<br \/>\s*B\. Australia/);
    assert.equal(mcq!.fields[1], 'China');
    // Every card is new, in the deck of the bank, shown in the bank's order.
    const cards = db.prepare('SELECT c.did, c.type, c.queue, c.due, n.id AS nid FROM cards c JOIN notes n ON n.id = c.nid ORDER BY c.id').all() as {
      did: number;
      type: number;
      queue: number;
      due: number;
    }[];
    assert.equal(cards.length, 4);
    const deckIds = Object.keys(JSON.parse((db.prepare('SELECT decks FROM col').get() as { decks: string }).decks) as object).map(Number);
    assert.ok(cards.every((c) => c.type === 0 && c.queue === 0 && deckIds.includes(c.did) && c.did !== 1));
    assert.deepEqual(
      cards.map((c) => c.due),
      [1, 2, 2, 3],
    );
  } finally {
    db.close();
  }
});

test('no markup typed into a question reaches Anki as markup', () => {
  const { db } = openPackage(buildAnkiPackage(DEFS, { deck: 'SCO', bankKey: 'bank-1', now: NOW }));
  try {
    const fields = (db.prepare('SELECT flds FROM notes').all() as { flds: string }[]).flatMap((n) => n.flds.split('\x1f'));
    const tags = new Set(fields.flatMap((f) => [...f.matchAll(/<\/?([a-z][a-z0-9]*)/gi)].map((m) => m[1]!.toLowerCase())));
    assert.deepEqual(
      [...tags].filter((tag) => !['p', 'br', 'em', 'strong', 'code', 'a', 'ul', 'ol', 'li', 'span'].includes(tag)),
      [],
    );
    assert.ok(
      fields.some((f) => f.includes('&lt;script&gt;')),
      'the text is kept, escaped',
    );
  } finally {
    db.close();
  }
});

test('a note keeps its guid in a later export of the same bank (Anki updates it), and not across banks', () => {
  const guids = (bankKey: string, now: Date) => {
    const { db } = openPackage(buildAnkiPackage(DEFS, { deck: 'SCO', bankKey, now }));
    try {
      return (db.prepare('SELECT guid FROM notes ORDER BY id').all() as { guid: string }[]).map((r) => r.guid);
    } finally {
      db.close();
    }
  };
  const first = guids('bank-1', NOW);
  assert.equal(new Set(first).size, 3);
  assert.deepEqual(guids('bank-1', new Date('2027-01-01T00:00:00Z')), first);
  assert.equal(guids('bank-2', NOW).filter((g) => first.includes(g)).length, 0);
});

let t: TestApp;
let owner: request.Agent;
before(async () => {
  t = await startTestApp({}, { seed: true });
  const demo = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
  owner = await loginAs(t.app, demo.email, demo.password);
});
after(() => t.close());

test("GET /banks/:id/export.apkg downloads the bank's live questions as a deck named for the bank", async () => {
  const bankId = await newBank(owner, 'Anki deck bank');
  await importThrough(owner, bankId, { format: 'anki', text: 'front one\tback one\nfront two\tback two\n', ...DEFAULTS });
  const res = await owner
    .get(`/banks/${bankId}/export.apkg`)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type']!, /^application\/apkg/);
  const bank = await Bank.findById(bankId).lean();
  assert.equal(res.headers['content-disposition'], `attachment; filename=${bank!.slug}.apkg`);
  const { db } = openPackage(new Uint8Array(res.body as Buffer));
  try {
    const fronts = (db.prepare('SELECT sfld FROM notes ORDER BY id').all() as { sfld: string }[]).map((r) => r.sfld);
    assert.deepEqual([...fronts].sort(), (await liveDefinitions(bankId)).map((d) => d.prompt).sort());
    assert.deepEqual([...fronts].sort(), ['front one', 'front two']);
    const decks = Object.values(JSON.parse((db.prepare('SELECT decks FROM col').get() as { decks: string }).decks) as Record<string, { name: string }>);
    assert.ok(decks.some((d) => d.name === 'Anki deck bank'));
  } finally {
    db.close();
  }
});
