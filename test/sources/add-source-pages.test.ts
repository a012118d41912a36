import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, loginAs, tokenFor, csrfFrom, type TestApp } from '../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { Source } from '../../server/sources/model.ts';
import { makePdf } from './extract/make-files.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({}, { seed: true });
});
after(() => t.close());

const instructor = () => loginAs(t.app, DEMO_ACCOUNTS[0]!.email, DEMO_ACCOUNTS[0]!.password);
const student = () => loginAs(t.app, DEMO_ACCOUNTS[1]!.email, DEMO_ACCOUNTS[1]!.password);

test('an instructor uploads a PDF, sees the preview with its sections and guesses, saves it, and reads it by section', async () => {
  const agent = await instructor();
  const token = await tokenFor(agent, '/sources/new');
  const pdf = await makePdf([
    [
      { text: 'Tidal power', size: 18 },
      { text: 'The moon lifts the sea twice a day.', gap: 8 },
    ],
    [
      { text: 'Costs', size: 18 },
      { text: 'Barrages are dear to build.', gap: 8 },
    ],
  ]);
  const before = await Source.countDocuments();
  const preview = await agent
    .post(`/sources/new?_csrf=${encodeURIComponent(token)}&job=job-12345678`)
    .field('title', 'Tides notes')
    .attach('file', Buffer.from(pdf), 'tides.pdf');
  assert.equal(preview.status, 200, preview.text.slice(0, 400));
  assert.match(preview.text, /2 passages<\/strong> in 2 sections/);
  assert.match(preview.text, /Tidal power/);
  assert.match(preview.text, /from their larger font size/);
  assert.equal(await Source.countDocuments(), before, 'the preview stores nothing');
  // The page's script polls how many pages were read; only its uploader sees it.
  assert.deepEqual((await agent.get('/sources/new/progress/job-12345678')).body, { done: 2, total: 2 });
  assert.deepEqual((await (await loginAs(t.app, DEMO_ACCOUNTS[0]!.email, DEMO_ACCOUNTS[0]!.password)).get('/sources/new/progress/nope-12345678')).body, {
    done: 0,
    total: 0,
  });
  const pending = /name="pending" value="([^"]+)"/.exec(preview.text)![1]!;
  const saved = await agent
    .post('/sources/new/save')
    .type('form')
    .send({ _csrf: csrfFrom(preview.text), pending, title: 'Tides notes' });
  assert.equal(saved.status, 303);
  const page = await agent.get(saved.headers.location!);
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Tides notes<\/h1>/);
  assert.match(page.text, /id="costs-1"/);
  const list = await agent.get('/sources');
  assert.match(list.text, /Tides notes/);
  // Another person's source is not theirs to read, and not listed for them.
  const other = await student();
  assert.equal((await other.get(saved.headers.location!)).status, 403);
  assert.doesNotMatch((await other.get('/sources')).text, /Tides notes/);
});

test('pasted text previews too; a bad file re-renders the form with its reason beside the field and stores nothing', async () => {
  const agent = await instructor();
  const token = await tokenFor(agent, '/sources/new');
  const pasted = await agent
    .post(`/sources/new?_csrf=${encodeURIComponent(token)}`)
    .field('title', 'Pasted')
    .field('text', 'First paragraph.\n\nSecond paragraph.');
  assert.equal(pasted.status, 200);
  assert.match(pasted.text, /2 passages/);
  const before = await Source.countDocuments();
  const bad = await agent.post(`/sources/new?_csrf=${encodeURIComponent(token)}`).attach('file', Buffer.from('not a pdf at all'), 'fake.pdf');
  assert.equal(bad.status, 400);
  assert.match(bad.text, /id="file-error"[^>]*>This file is not a PDF/);
  assert.equal(await Source.countDocuments(), before);
});

test('adding a source needs an instructor and a CSRF token', async () => {
  assert.equal((await (await student()).get('/sources/new')).status, 403);
  const agent = await instructor();
  const res = await agent.post('/sources/new').field('text', 'Some text.');
  assert.equal(res.status, 403);
});

test('the owner uploads a new version: unchanged passages keep their ids, the changed one is listed old beside new', async () => {
  const agent = await instructor();
  const token = await tokenFor(agent, '/sources/new');
  const preview = await agent
    .post(`/sources/new?_csrf=${encodeURIComponent(token)}`)
    .field('title', 'Harbour')
    .field('text', 'Tides\n\nThe harbour empties at low tide.\n\nBoats wait for the flood before they leave the quay.\n');
  const pending = /name="pending" value="([^"]+)"/.exec(preview.text)![1]!;
  const saved = await agent
    .post('/sources/new/save')
    .type('form')
    .send({ _csrf: csrfFrom(preview.text), pending, title: 'Harbour' });
  const url = saved.headers.location!;
  const page = await agent.get(url);
  const v2 = 'Tides\n\nThe harbour empties at low tide.\n\nBoats wait for the flood before they leave the old quay.\n';
  const up = await agent.post(`${url}/versions?_csrf=${encodeURIComponent(csrfFrom(page.text))}`).attach('file', Buffer.from(v2), 'harbour.txt');
  assert.equal(up.status, 303, up.text.slice(0, 300));
  const after = await agent.get(url);
  assert.match(after.text, /Version 2/);
  assert.match(after.text, /id="tides-1"[^>]*>[\s\S]*?The harbour empties at low tide\./);
  assert.match(
    after.text,
    /<tr data-passage="tides-2"><td>tides-2 \(changed\)<\/td><td>Boats wait for the flood before they leave the quay\.<\/td><td>Boats wait for the flood before they leave the old quay\.<\/td>/,
  );
  // Another instructor's source takes no versions from a student.
  const other = await student();
  const otherToken = await tokenFor(other, '/sources');
  assert.equal((await other.post(`${url}/versions?_csrf=${encodeURIComponent(otherToken)}`).attach('file', Buffer.from(v2), 'x.txt')).status, 403);
});

test('a new version Lectern cannot read is refused on the source page, beside its upload field, and the stored version stays', async () => {
  const agent = await instructor();
  const token = await tokenFor(agent, '/sources/new');
  const preview = await agent
    .post(`/sources/new?_csrf=${encodeURIComponent(token)}`)
    .field('title', 'Estuary')
    .field('text', 'Silt\n\nThe estuary silts up every winter.\n');
  const pending = /name="pending" value="([^"]+)"/.exec(preview.text)![1]!;
  const url = (
    await agent
      .post('/sources/new/save')
      .type('form')
      .send({ _csrf: csrfFrom(preview.text), pending, title: 'Estuary' })
  ).headers.location!;
  const csrf = encodeURIComponent(csrfFrom((await agent.get(url)).text));
  for (const [bytes, name, reason] of [
    [Buffer.from('not a pdf at all'), 'v2.pdf', /PDF/i],
    [Buffer.from('x'), 'v2.exe', /\.txt|\.pdf|kind of file|format/i],
    [Buffer.alloc(0), 'empty.txt', /Choose the file of the new version/],
  ] as const) {
    const res = await agent.post(`${url}/versions?_csrf=${csrf}`).attach('file', bytes, name);
    assert.equal(res.status, 400, name);
    assert.match(res.text, /<span class="field-error" id="file-error" role="alert">/, name);
    assert.match(/id="file-error"[^>]*>([^<]*)</.exec(res.text)![1]!, reason, name);
    assert.match(res.text, /The estuary silts up every winter\./, 'the page is the source page');
  }
  const after = await agent.get(url);
  assert.match(after.text, /Version 1/);
});
