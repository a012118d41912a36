import assert from 'node:assert/strict';
import type request from 'supertest';
import { postForm, addTopics } from '../helpers/test-app.ts';
import { shippedSourceId } from '../../server/banks/index.ts';

/** What an mcq in the test banks cites (the shipped paper's opening sentence). */
export const CITED = {
  topics: ['dates-events'],
  difficulty: 'easy',
  passageId: 'intro-1',
  quote: 'In August 2007, the Shanghai Cooperation Organisation (SCO) captured world attention through two actions.',
};

/** A private bank of the instructor's own (a quiz that hides keys may draw from it), with the topic "Dates events". */
export async function privateBank(teacher: request.Agent, title: string): Promise<string> {
  const bank = await postForm(teacher, '/banks', '/banks', { title, description: 'x', sourceId: (await shippedSourceId())! });
  assert.equal(bank.status, 302, bank.text.slice(0, 300));
  const id = /\/banks\/([a-f0-9]{24})$/.exec(bank.headers.location!)![1]!;
  await addTopics(teacher, id, ['Dates events']);
  return id;
}

/** Adds a question through the editor form; returns its id. */
export async function addQuestion(teacher: request.Agent, bankId: string, fields: Record<string, unknown>): Promise<string> {
  const res = await postForm(teacher, `/banks/${bankId}/questions/new`, `/banks/${bankId}/questions`, {
    ...CITED,
    explanation: 'The paper opens with it.',
    ...fields,
  });
  assert.equal(res.status, 302, (/class="field-error"[^>]*>([^<]*)/.exec(res.text) ?? [])[1] ?? res.text.slice(0, 300));
  return /questions\/([a-f0-9]{24})\/edit$/.exec(res.headers.location!)![1]!;
}

/** An mcq whose choices are June 2001, August 2007 (the key unless `key` says otherwise) and Mid-2005. */
export const mcqFields = (prompt: string, key = 'August 2007') => ({
  type: 'mcq',
  prompt,
  choices: ['June 2001', 'August 2007', 'Mid-2005'].map((c) => (c === key ? `*${c}` : c)).join('\n'),
});
