import { createHash } from 'node:crypto';
import { z } from 'zod';
import { questionDefinition, type QuestionDefinition } from '../questions/definition.ts';
import type { Passage } from '../sources/passages.ts';
import { findQuote } from './find-quote.ts';
import { bankTopicList, mergeTopics, topicsProblem, type BankTopic } from './topics.ts';
import { isRecord } from '../object-shape.ts';

/** The shape of a bank file (our JSON import/export format; documented in seed/README.md). */
export const bankFileHeader = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(2000).default(''),
  sourceId: z.string().min(1).max(100),
  /** Further sources the bank is built on (questions name theirs in `source.sourceId`). */
  sourceIds: z.array(z.string().min(1).max(100)).max(20).optional(),
  /** The bank's topics (slug and name, in order); its questions' tags must be among them. */
  topics: bankTopicList.optional(),
  questions: z.array(z.unknown()).max(5000),
});
export type BankFile = Omit<z.infer<typeof bankFileHeader>, 'questions' | 'topics'> & { topics: BankTopic[]; questions: QuestionDefinition[] };

export interface BankFileError {
  /** The question id when known, else its position ("#12"). */
  where: string;
  reason: string;
}

/**
 * The passages a question may cite: one source's (a bank of one source), or a lookup by the
 * question's `source.sourceId` (undefined: the bank's first source; no map: not a source of the bank).
 */
export type PassageSource = ReadonlyMap<string, Passage> | ((sourceId: string | undefined) => ReadonlyMap<string, Passage> | undefined);

function passagesFor(def: QuestionDefinition, passages: PassageSource): ReadonlyMap<string, Passage> | undefined {
  if (typeof passages === 'function') return passages(def.source.sourceId);
  return def.source.sourceId === undefined ? passages : undefined;
}

/** Checks that a question's passage exists and holds its quote verbatim (straight or curly quote marks alike). */
export function checkSourceRef(def: QuestionDefinition, source: PassageSource): string | null {
  const passages = passagesFor(def, source);
  if (!passages) return `unknown source "${def.source.sourceId ?? ''}": not a source of this bank`;
  const passage = passages.get(def.source.passageId);
  if (!passage) return `unknown passage "${def.source.passageId}"`;
  if (findQuote(passage.text, def.source.quote) === null) return `the quote is not found verbatim in passage ${passage.id}`;
  return null;
}

/** The definition with its quote as the passage prints it (typed straight quotes become the paper's curly ones). */
export function withPassageQuote(def: QuestionDefinition, source: PassageSource): QuestionDefinition {
  const passage = passagesFor(def, source)?.get(def.source.passageId);
  const quote = passage ? findQuote(passage.text, def.source.quote) : null;
  return quote && quote !== def.source.quote ? { ...def, source: { ...def.source, quote } } : def;
}

/**
 * Validates a whole bank file: every question against its schema, its source and the topics
 * (the file's, after those of the bank it goes into: `bankTopics`). All or nothing: any error
 * means no questions, so a half-loaded bank never exists. `bank.topics` is the merged list.
 */
export function validateBankFile(
  json: unknown,
  passages: PassageSource,
  bankTopics: readonly BankTopic[] = [],
): { ok: true; bank: BankFile } | { ok: false; errors: BankFileError[] } {
  const header = bankFileHeader.safeParse(json);
  if (!header.success) {
    return { ok: false, errors: header.error.issues.map((i) => ({ where: i.path.join('.') || 'file', reason: i.message })) };
  }
  const topics = mergeTopics(bankTopics, header.data.topics ?? []);
  const errors: BankFileError[] = [];
  const questions: QuestionDefinition[] = [];
  const seen = new Set<string>();
  header.data.questions.forEach((raw, index) => {
    const rawId = isRecord(raw) ? raw.id : undefined;
    const where = typeof rawId === 'string' ? rawId : `#${index + 1}`;
    const parsed = questionDefinition.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ where, reason: `${issue.path.join('.') || 'question'}: ${issue.message}` });
      return;
    }
    if (seen.has(parsed.data.id)) errors.push({ where, reason: 'duplicate question id' });
    seen.add(parsed.data.id);
    const sourceProblem = checkSourceRef(parsed.data, passages);
    if (sourceProblem) errors.push({ where, reason: sourceProblem });
    const topicProblem = topicsProblem(parsed.data.topics, topics);
    if (topicProblem) errors.push({ where, reason: `topics: ${topicProblem}` });
    questions.push(withPassageQuote(parsed.data, passages));
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, bank: { ...header.data, topics, questions } };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])]),
    );
  }
  return value;
}

/** A hash of a definition that ignores key order: equal content, equal hash. */
export function definitionHash(def: QuestionDefinition): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(def)))
    .digest('hex')
    .slice(0, 24);
}
