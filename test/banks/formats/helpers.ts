import assert from 'node:assert/strict';
import type request from 'supertest';
import { postForm } from '../../helpers/test-app.ts';
import { Bank, Question } from '../../../server/banks/model.ts';
import type { QuestionDefinition } from '../../../server/questions/definition.ts';

/* Shared steps of the format tests: a bank on the shipped source, an import through the preview. */

/** A quote that appears word for word in the shipped source's passage background-1. */
export const SOURCE = { passageId: 'background-1', quote: 'Shanghai Five' };
/** The import form's defaults for a foreign file that says nothing of topics or sources. */
export const DEFAULTS = { defaultTopic: 'members', defaultPassageId: SOURCE.passageId, defaultQuote: SOURCE.quote };

/** A new bank owned by `agent`, with the shipped bank's topics. */
export async function newBank(agent: request.Agent, title: string): Promise<string> {
  const res = await postForm(agent, '/banks', '/banks', { title, sourceId: 'sco-policy-brief' });
  assert.equal(res.status, 302);
  const id = /([a-f0-9]{24})$/.exec(res.headers.location!)![1]!;
  const shipped = await Bank.findOne({ slug: 'sco-policy-brief' }, { topics: 1 }).lean();
  await Bank.updateOne({ _id: id }, { $set: { topics: shipped!.topics } });
  return id;
}

/** The bank's live questions, by key. */
export async function liveDefinitions(bankId: string): Promise<QuestionDefinition[]> {
  return (await Question.find({ bankId, retired: false }).sort({ key: 1 }).lean()).map((q) => q.definition as QuestionDefinition);
}

/** The shipped bank's questions, by key. */
export async function shippedDefinitions(): Promise<QuestionDefinition[]> {
  const shipped = await Bank.findOne({ slug: 'sco-policy-brief' }).lean();
  return liveDefinitions(String(shipped!._id));
}

const unescape = (s: string) => s.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The hidden fields of one of the preview's forms (by its id), read back from its HTML. */
export function hiddenFields(html: string, formId: string): Record<string, string> | null {
  const form = new RegExp(`<form method="post" action="[^"]+/import" id="${formId}">([\\s\\S]*?)</form>`).exec(html);
  if (!form) return null;
  const fields: Record<string, string> = {};
  for (const m of form[1]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]!] = unescape(m[2]!);
  return fields;
}

/** Preview, then confirm with the fields the preview's form carries. */
export async function importThrough(agent: request.Agent, bankId: string, fields: Record<string, string>) {
  const page = `/banks/${bankId}/import`;
  const preview = await postForm(agent, page, page, fields);
  assert.equal(preview.status, 200, preview.text.slice(0, 3000));
  const carried = hiddenFields(preview.text, 'import-commit');
  assert.ok(carried, 'the preview offers to import');
  assert.equal(carried.commit, '1');
  const { _csrf, ...rest } = carried;
  const commit = await agent
    .post(page)
    .type('form')
    .send({ _csrf, ...rest });
  assert.equal(commit.status, 302, commit.text.slice(0, 3000));
  return { preview, commit };
}

/** The "line N: reason" items of a refused preview. */
export function errorLines(html: string): { where: string; message: string }[] {
  return [...html.matchAll(/<li><strong>([^<]+)<\/strong>: ([^<]*)<\/li>/g)].map((m) => ({ where: m[1]!, message: unescape(m[2]!) }));
}
