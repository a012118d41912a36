import { createHash } from 'node:crypto';
import { z } from 'zod';
import { questionDefinition, type QuestionDefinition } from '../questions/definition.ts';
import type { Passage } from '../sources/passages.ts';

/** The shape of a bank file (our JSON import/export format; documented in seed/README.md). */
export const bankFileHeader = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(2000).default(''),
  sourceId: z.string().min(1).max(100),
  questions: z.array(z.unknown()).max(5000),
});
export type BankFile = Omit<z.infer<typeof bankFileHeader>, 'questions'> & { questions: QuestionDefinition[] };

export interface BankFileError {
  /** The question id when known, else its position ("#12"). */
  where: string;
  reason: string;
}

/** Checks that a question's passage exists and holds its quote verbatim. */
export function checkSourceRef(def: QuestionDefinition, passages: ReadonlyMap<string, Passage>): string | null {
  const passage = passages.get(def.source.passageId);
  if (!passage) return `unknown passage "${def.source.passageId}"`;
  if (!passage.text.includes(def.source.quote)) return `the quote is not found verbatim in passage ${passage.id}`;
  return null;
}

/**
 * Validates a whole bank file: every question against its schema and its source. All or
 * nothing: any error means no questions, so a half-loaded bank never exists.
 */
export function validateBankFile(
  json: unknown,
  passages: ReadonlyMap<string, Passage>,
): { ok: true; bank: BankFile } | { ok: false; errors: BankFileError[] } {
  const header = bankFileHeader.safeParse(json);
  if (!header.success) {
    return { ok: false, errors: header.error.issues.map((i) => ({ where: i.path.join('.') || 'file', reason: i.message })) };
  }
  const errors: BankFileError[] = [];
  const questions: QuestionDefinition[] = [];
  const seen = new Set<string>();
  header.data.questions.forEach((raw, index) => {
    const rawId = (raw as { id?: unknown } | null)?.id;
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
    questions.push(parsed.data);
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, bank: { ...header.data, questions } };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** A hash of a definition that ignores key order: equal content, equal hash. */
export function definitionHash(def: QuestionDefinition): string {
  return createHash('sha256').update(JSON.stringify(canonical(def))).digest('hex').slice(0, 24);
}
