import { readFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { csrfFrom, postForm, tokenFor } from '../helpers/test-app.ts';

/** A small document rich in the facts drafting looks for (three sections, nine passages). */
export const RIVER_TEXT = readFileSync(path.join(import.meta.dirname, 'fixtures/river-compact.txt'), 'utf8');

/** Adds a pasted document as a source through the upload pages; returns its id. */
export async function addTextSource(agent: request.Agent, title: string, text = RIVER_TEXT): Promise<string> {
  const token = await tokenFor(agent, '/sources/new');
  const preview = await agent
    .post(`/sources/new?_csrf=${encodeURIComponent(token)}`)
    .field('title', title)
    .field('text', text);
  assert.equal(preview.status, 200, preview.text.slice(0, 300));
  const pending = /name="pending" value="([^"]+)"/.exec(preview.text)![1]!;
  const saved = await agent
    .post('/sources/new/save')
    .type('form')
    .send({ _csrf: csrfFrom(preview.text), pending, title });
  assert.equal(saved.status, 303);
  return /^\/sources\/(.+)$/.exec(saved.headers.location!)![1]!;
}

/** Makes an empty bank on a source through the banks page; returns its id. */
export async function makeBank(agent: request.Agent, title: string, sourceId: string): Promise<string> {
  const res = await postForm(agent, '/banks', '/banks', { title, description: '', sourceId });
  assert.equal(res.status, 302, res.text.slice(0, 300));
  return /\/banks\/([a-f0-9]{24})$/.exec(res.headers.location!)![1]!;
}

/** Clicks "Draft questions" (whole source, or sections by slug) and waits for the run to finish; returns its status. */
export async function draftAndWait(
  agent: request.Agent,
  sourceId: string,
  sections: string[] = [],
): Promise<{ state: string; added: number; done: number; of: number }> {
  const res = await postForm(agent, `/sources/${sourceId}/drafts`, `/sources/${sourceId}/drafts`, sections.length ? { sections } : {});
  assert.equal(res.status, 303, res.text.slice(0, 300));
  for (let i = 0; i < 600; i++) {
    const s = await agent.get(`/sources/${sourceId}/drafts/status`).set('Accept', 'application/json');
    assert.equal(s.status, 200);
    if (s.body.state === 'done' || s.body.state === 'failed') return s.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('drafting did not finish in 60 s');
}
