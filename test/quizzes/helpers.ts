import assert from 'node:assert/strict';
import type { Express } from 'express';
import type request from 'supertest';
import { loginAs, registerAs, tokenFor, type TestApp } from '../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { User } from '../../server/accounts/model.ts';
import { Bank } from '../../server/banks/model.ts';
import { Class } from '../../server/classes/model.ts';
import { findQuestions, type StoredQuestion } from '../../server/banks/service.ts';
import { opaqueId, type QuestionDefinition, type QuestionResponse } from '../../server/questions/index.ts';

/** An urlencoded body with repeated fields for lists (what a browser sends for checkboxes). */
export function formBody(fields: Record<string, unknown>): string {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const x of v) body.append(k, String(x));
    else body.append(k, String(v));
  }
  return body.toString();
}

/** Posts a form with a token taken from `page` first. */
export async function post(agent: request.Agent, page: string, path: string, fields: Record<string, unknown> = {}): Promise<request.Response> {
  const _csrf = await tokenFor(agent, page);
  return agent
    .post(path)
    .type('form')
    .send(formBody({ _csrf, ...fields }));
}

export const demoInstructor = (app: Express) => loginAs(app, DEMO_ACCOUNTS[0]!.email, DEMO_ACCOUNTS[0]!.password);

/** A new account promoted to instructor (roles are read from the database on every request). */
export async function newInstructor(app: Express, name: string, email: string): Promise<request.Agent> {
  const agent = await registerAs(app, name, email);
  await User.updateOne({ email }, { $set: { role: 'instructor' } });
  return agent;
}

/** Creates a class through the form; returns its id and join code. */
export async function createClass(agent: request.Agent, name: string): Promise<{ id: string; code: string }> {
  const res = await post(agent, '/classes', '/classes', { name });
  assert.equal(res.status, 303, res.text.slice(0, 300));
  const id = /\/classes\/([a-f0-9]{24})$/.exec(res.headers.location!)![1]!;
  const cls = await Class.findById(id).lean();
  return { id, code: cls!.joinCode };
}

/** Joins a class by code through the form. */
export async function joinClass(agent: request.Agent, code: string): Promise<request.Response> {
  return post(agent, '/classes', '/classes/join', { code });
}

export async function shippedBankId(): Promise<string> {
  const bank = await Bank.findOne({ slug: 'sco-policy-brief' }).lean();
  return String(bank!._id);
}

/**
 * A private copy of the shipped bank for `agent` (through "Copy into my banks"). Students may
 * practise the shipped bank, so only a private bank can feed a quiz whose review hides its keys.
 */
export async function privateCopyOfShipped(agent: request.Agent): Promise<string> {
  const shipped = await shippedBankId();
  const _csrf = await tokenFor(agent, '/banks');
  const res = await agent.post(`/banks/${shipped}/copy`).type('form').send({ _csrf });
  assert.equal(res.status, 302, `copy refused: ${res.status}`);
  return /([a-f0-9]{24})$/.exec(res.headers.location!)![1]!;
}

/** Questions of a bank (the shipped one unless given), one of each listed type (first by key). */
export async function questionsOfTypes(types: string[], bankId?: string): Promise<StoredQuestion[]> {
  const all = await findQuestions(bankId ?? (await shippedBankId()));
  return types.map((t) => all.find((q) => q.definition.type === t)!);
}

/** Builds a quiz through the builder form; returns its id. Hand-picked unless `mode: 'rules'`. */
export async function createQuiz(agent: request.Agent, fields: Record<string, unknown>): Promise<string> {
  const res = await post(agent, '/quizzes/new', '/quizzes', {
    title: 'Test quiz',
    bankIds: [await shippedBankId()],
    mode: 'pick',
    attemptsAllowed: 1,
    gradingMethod: 'highest',
    feedbackTiming: 'immediately',
    reviewShows: 'explanations',
    ...fields,
  });
  assert.equal(res.status, 303, `quiz not created: ${res.status} ${(/class="field-error"[^>]*>([^<]*)/.exec(res.text) ?? [])[1] ?? res.text.slice(0, 500)}`);
  return /\/quizzes\/([a-f0-9]{24})$/.exec(res.headers.location!)![1]!;
}

/** Starts (or resumes) an attempt; returns its id. */
export async function startAttempt(agent: request.Agent, quizId: string): Promise<string> {
  const res = await post(agent, `/quizzes/${quizId}`, `/quizzes/${quizId}/attempts`);
  assert.equal(res.status, 303);
  const m = /^\/attempts\/([a-f0-9]{24})$/.exec(res.headers.location!);
  assert.ok(m, `expected an attempt, went to ${res.headers.location}`);
  return m[1]!;
}

/** Saves an answer as the autosave script does (JSON, token in the header). */
export async function saveJson(agent: request.Agent, token: string, attemptId: string, n: number, response: unknown): Promise<request.Response> {
  return agent
    .post(`/attempts/${attemptId}/slots/${n}`)
    .set('x-csrf-token', token)
    .set('Accept', 'application/json')
    .send(response as object);
}

export async function submit(agent: request.Agent, token: string, attemptId: string): Promise<request.Response> {
  return agent.post(`/attempts/${attemptId}/submit`).set('x-csrf-token', token).set('Accept', 'application/json').send({});
}

/** A fully correct response to a definition. */
export function correctResponse(def: QuestionDefinition): QuestionResponse {
  switch (def.type) {
    case 'mcq':
      return { type: 'mcq', choice: def.answer };
    case 'multi':
      return { type: 'multi', choices: def.answers };
    case 'truefalse':
      return { type: 'truefalse', value: def.answer };
    case 'short':
      return { type: 'short', text: def.answers[0]! };
    case 'numeric':
      return { type: 'numeric', value: def.answer };
    case 'cloze':
      return { type: 'cloze', blanks: def.blanks.map((b) => b.answers[0]!) };
    case 'matching':
      return { type: 'matching', pairs: Object.fromEntries(def.pairs.map((p) => [opaqueId(p.left), opaqueId(p.right)])) };
    case 'ordering':
      return { type: 'ordering', order: def.items.map((i) => opaqueId(i)) };
    case 'essay':
      return { type: 'essay', text: def.modelAnswer ?? 'An essay.' };
    case 'card':
      return { type: 'card', knew: true };
  }
}

/** A wrong response for mcq and truefalse questions. */
export function wrongResponse(def: QuestionDefinition): QuestionResponse {
  if (def.type === 'mcq') return { type: 'mcq', choice: def.choices.find((c) => c.id !== def.answer)!.id };
  if (def.type === 'truefalse') return { type: 'truefalse', value: !def.answer };
  throw new Error('wrongResponse: mcq or truefalse only');
}

export { DEMO_ACCOUNTS, tokenFor, loginAs, registerAs };
export type { TestApp };
