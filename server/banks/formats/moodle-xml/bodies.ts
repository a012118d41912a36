import type { QuestionBody } from '../../../questions/definition.ts';
import { defaultChoiceIds } from '../gift/question.ts';
import { htmlToText as wordsOf } from '../../../formatting/rich-text.ts';
import { attr, child, children, plainOf, rawText, type XmlNode } from './xml.ts';
import { isRecord } from '../../../object-shape.ts';

/**
 * The Lectern body of each Moodle question type, from its XML element. Each returns a body, or
 * a sentence saying why the question cannot be one (the caller adds the line).
 */

export type BodyResult = { body: QuestionBody; prompt?: string } | { reason: string };

interface Answer {
  text: string;
  fraction: number;
  feedback?: string;
  node: unknown;
}

class Refusal extends Error {}
const refuse = (reason: string): never => {
  throw new Refusal(reason);
};

/** Moodle's essay: marked out of its default grade (1 to 100), its word limit and grader information kept. */
function essay(q: XmlNode, modelAnswer: string | undefined): QuestionBody {
  const grade = Math.round(Number(rawText(q.defaultgrade) || '10'));
  const limit = Number(rawText(q.maxwordlimit) || '0');
  const rubric = plain(q.graderinfo, 'grader information');
  return {
    type: 'essay',
    maxMark: Number.isFinite(grade) ? Math.min(100, Math.max(1, grade)) : 10,
    ...(rawText(q.maxwordenabled) === '1' && Number.isInteger(limit) && limit >= 1 ? { wordLimit: Math.min(3000, limit) } : {}),
    ...(rubric ? { rubric: rubric.slice(0, 4000) } : {}),
    ...(modelAnswer ? { modelAnswer } : {}),
  };
}

/** A text element as plain text, refusing the question when it holds media. */
export function plain(node: unknown, what: string): string {
  const { text, media } = plainOf(node);
  if (media) refuse(`the ${what} holds ${media}: Lectern stores no files, so the question is not imported`);
  return text;
}

const feedbackOf = (n: unknown) => plain(child(n, 'feedback'), 'feedback') || undefined;

function answers(q: XmlNode): Answer[] {
  return children(q, 'answer').map((a) => {
    const fraction = Number(attr(a, 'fraction') || '0');
    if (!Number.isFinite(fraction)) refuse(`an answer's fraction "${attr(a, 'fraction')}" is not a number`);
    const feedback = feedbackOf(a);
    return { text: plain(a, 'answer'), fraction: fraction / 100, ...(feedback ? { feedback } : {}), node: a };
  });
}

const round = (n: number) => Number(n.toFixed(7));
const fb = (f: string | undefined) => (f ? { feedback: f } : {});

function multichoice(q: XmlNode, choiceIds?: string[]): QuestionBody {
  const list = answers(q);
  const ids = choiceIds && choiceIds.length === list.length ? choiceIds : defaultChoiceIds(list.length);
  const single = rawText(q.single).trim().toLowerCase() !== 'false';
  if (single) {
    const right = list.findIndex((a) => a.fraction >= 0.9999999);
    if (right < 0) refuse('no answer earns full marks (fraction="100")');
    return {
      type: 'mcq',
      choices: list.map((a, i) => ({
        id: ids[i]!,
        text: a.text,
        ...fb(a.feedback),
        ...(i !== right && a.fraction > 0 ? { credit: Math.min(1, round(a.fraction)) } : {}),
      })),
      answer: ids[right]!,
    };
  }
  return {
    type: 'multi',
    choices: list.map((a, i) => ({ id: ids[i]!, text: a.text, ...fb(a.feedback) })),
    answers: ids.filter((_, i) => list[i]!.fraction > 0),
  };
}

function truefalse(q: XmlNode): QuestionBody {
  const list = answers(q);
  const find = (v: string) => list.find((a) => a.text.trim().toLowerCase() === v);
  const t = find('true');
  const f = find('false');
  if (!t || !f) refuse('a true/false question needs a "true" and a "false" answer');
  return {
    type: 'truefalse',
    answer: t!.fraction > f!.fraction,
    ...(t!.feedback ? { feedbackTrue: t!.feedback } : {}),
    ...(f!.feedback ? { feedbackFalse: f!.feedback } : {}),
  };
}

function shortanswer(q: XmlNode): QuestionBody {
  const list = answers(q);
  const any = list.find((a) => a.text === '*');
  const full = list.filter((a) => a.text !== '*' && a.fraction >= 0.9999999);
  const partial = list
    .filter((a) => a.text !== '*' && a.fraction < 0.9999999)
    .map((a) => ({ answer: a.text, credit: Math.max(0, round(a.fraction)), ...fb(a.feedback) }));
  const feedback = full.filter((a) => a.feedback).map((a) => ({ answer: a.text, text: a.feedback! }));
  return {
    type: 'short',
    answers: full.map((a) => a.text),
    ...(partial.length ? { partial } : {}),
    ...(feedback.length ? { feedback } : {}),
    ...(any?.feedback ? { otherwise: any.feedback } : {}),
  };
}

function numerical(q: XmlNode): QuestionBody {
  const list = answers(q);
  const num = (a: Answer) => {
    const n = Number(a.text);
    if (!Number.isFinite(n)) refuse(`the answer "${a.text}" is not a number`);
    const tol = Number(rawText(child(a.node, 'tolerance')) || '0');
    return { answer: n, tolerance: Number.isFinite(tol) ? Math.abs(tol) : 0 };
  };
  const any = list.find((a) => a.text === '*');
  const ranges = list.filter((a) => a.text !== '*');
  const main = ranges.findIndex((a) => a.fraction >= 0.9999999);
  if (main < 0) refuse('no answer earns full marks (fraction="100")');
  const units = children(child(q, 'units'), 'unit').filter((u) => Number(rawText(child(u, 'multiplier')) || '1') === 1);
  const unit = units.length ? rawText(child(units[0], 'unit_name')).trim() : '';
  const alternatives = ranges.filter((_, i) => i !== main).map((a) => ({ ...num(a), credit: Math.min(1, Math.max(0, round(a.fraction))), ...fb(a.feedback) }));
  return {
    type: 'numeric',
    ...num(ranges[main]!),
    ...(unit ? { unit } : {}),
    ...fb(ranges[main]!.feedback),
    ...(alternatives.length ? { alternatives } : {}),
    ...(any?.feedback ? { otherwise: any.feedback } : {}),
  };
}

function matching(q: XmlNode): QuestionBody {
  const pairs = children(q, 'subquestion').map((s) => ({ left: plain(s, 'item'), right: plain(children(s, 'answer')[0], 'item') }));
  if (pairs.some((p) => !p.left)) refuse('extra answers with no item (distractors): Lectern matches each item to one answer');
  return { type: 'matching', pairs };
}

function ordering(q: XmlNode): QuestionBody {
  // qtype_ordering lists the items in their correct order, each answer's fraction its position.
  const list = answers(q);
  const items = list.map((a, i) => ({ text: a.text, at: a.fraction * 100 || i + 1 })).sort((a, b) => a.at - b.at);
  return { type: 'ordering', items: items.map((i) => i.text) };
}

/** Moodle's embedded answers: `{1:SHORTANSWER:=Paris#Yes~%50%paris}`; `\` escapes } # ~ / " \. */
function cloze(node: unknown): { body: QuestionBody } {
  // The answers are read from the raw text: converting HTML first would escape their ~ and =.
  const html = attr(node, 'format') !== 'plain_text' && attr(node, 'format') !== 'markdown';
  const words = (s: string) => (html ? wordsOf(s) : s);
  const text = rawText(node);
  const blanks: { answers: string[] }[] = [];
  const marked = text.replace(/\{(\d*):([A-Z_]+):((?:\\.|[^}\\])*)\}/g, (_, _w: string, kind: string, spec: string) => {
    if (!/^(SHORTANSWER|SA|MW|SHORTANSWER_C|SAC|MWC)$/.test(kind)) refuse(`an embedded ${kind} answer: Lectern's blanks take typed answers only (SHORTANSWER)`);
    const parts = spec.split(/(?<!\\)~/).map((p) => p.replace(/(?<!\\)#.*$/s, ''));
    const right = parts.filter((p) => /^(=|%100%)/.test(p)).map((p) => words(p.replace(/^(=|%100%)/, '').replace(/\\(.)/g, '$1')).trim());
    if (!right.length) refuse('an embedded answer with no full-marks answer (= or %100%)');
    if (parts.some((p) => /^%(?!100%)/.test(p))) refuse('an embedded answer with partial credit: Lectern blanks are right or wrong');
    blanks.push({ answers: right });
    return `{{${blanks.length}}}`;
  });
  if (!blanks.length) refuse('a cloze (multianswer) question with no embedded {1:SHORTANSWER:…} answer');
  return { body: { type: 'cloze', text: plain({ ...(isRecord(node) ? node : {}), text: marked }, 'question text'), blanks } };
}

/** The body of a question element of a given Moodle type. */
export function bodyOf(type: string, q: XmlNode, meta: { choiceIds?: string[]; type?: string; modelAnswer?: string }): BodyResult {
  try {
    switch (type) {
      case 'multichoice':
        return { body: multichoice(q, meta.choiceIds) };
      case 'truefalse':
        return { body: truefalse(q) };
      case 'shortanswer':
        return { body: shortanswer(q) };
      case 'numerical':
        return { body: numerical(q) };
      case 'matching':
        return { body: matching(q) };
      case 'ordering':
        return { body: ordering(q) };
      case 'cloze':
      case 'multianswer':
        plain(q.questiontext, 'question text');
        return cloze(q.questiontext);
      case 'essay': {
        // Lectern's own export writes a card as an essay whose grader information is the back.
        if (meta.type === 'card') return { body: { type: 'card', back: plain(q.graderinfo, 'back') } };
        return { body: essay(q, meta.modelAnswer) };
      }
      case 'description':
        return { reason: 'a description is text, not a question: skipped' };
      default:
        return { reason: `Moodle's "${type || 'unnamed'}" questions have no Lectern type` };
    }
  } catch (err) {
    if (err instanceof Refusal) return { reason: err.message };
    throw err;
  }
}
