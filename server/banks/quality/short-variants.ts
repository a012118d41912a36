import type { QuestionDefinition } from '../../questions/definition.ts';
import { expandAcceptedAnswers, splitNameAndAbbreviation } from '../../questions/answer-variants.ts';
import { matchAcceptedAnswer } from '../../questions/normalise-answer.ts';
import { stem, words } from './text.ts';
import { questionFlag, type QualityContext, type QuestionDetector } from './types.ts';

/** Words a prompt asks for that learners often write after the name ("Xinjiang province", "Gwadar port"). */
const GENERIC_NOUNS = ['province', 'region', 'port', 'city', 'programme', 'program', 'river', 'sea', 'island', 'treaty', 'summit', 'exercise', 'agreement'];

/** Short forms people write for common names, by normalised name. */
const KNOWN_SHORT_FORMS: Record<string, string> = { 'middle east': 'Mid-East', 'united states': 'US', 'united nations': 'UN', 'european union': 'EU' };

// Keyed by the passages map: one scan of the source per report, not one per question.
const abbreviationCache = new WeakMap<object, Map<string, string>>();

/** "Full Name (ABBR)" pairs the source itself defines, so the detector knows which abbreviations readers meet. */
export function sourceAbbreviations(ctx: QualityContext): Map<string, string> {
  const cached = abbreviationCache.get(ctx.passages);
  if (cached) return cached;
  const out = new Map<string, string>();
  abbreviationCache.set(ctx.passages, out);
  const re = /((?:[A-Z][\p{L}’'-]*\s+(?:(?:of|for|and|the|on|in)\s+)*){1,8}[A-Z][\p{L}’'-]*)\s*\(([^()\s]{2,12})\)/gu;
  for (const p of ctx.passages.values()) {
    for (const m of p.text.matchAll(re)) {
      const split = splitNameAndAbbreviation(`${m[1]} (${m[2]})`);
      if (!split) continue;
      // Drop leading words the abbreviation does not start with ("Its Regional … (RATS)").
      const name = split[0].split(/\s+/);
      const first = split[1][0]!.toLowerCase();
      while (name.length > 1 && name[0]![0]!.toLowerCase() !== first) name.shift();
      out.set(name.join(' '), split[1]);
    }
  }
  return out;
}

function missingVariants(answers: readonly string[], prompt: string | null, abbreviations: Map<string, string>): string[] {
  const accepts = (v: string) => matchAcceptedAnswer(v, answers) !== 'none';
  const suggestions: string[] = [];
  const first = answers[0]!;
  if (prompt !== null) {
    // Only a noun the prompt asks for: "which Chinese province", "what port" (not any "summit" it mentions).
    const w = words(prompt);
    const asked = new Set(w.flatMap((x, i) => (x === 'which' || x === 'what' ? w.slice(i + 1, i + 4) : [])));
    for (const noun of GENERIC_NOUNS) {
      if (asked.has(noun) && !accepts(`${first} ${noun}`)) suggestions.push(`${first} ${noun}`);
    }
  }
  for (const [name, abbr] of abbreviations) {
    const hasName = accepts(name);
    const hasAbbr = accepts(abbr);
    if (hasName && !hasAbbr) suggestions.push(abbr);
    if (hasAbbr && !hasName) suggestions.push(name);
  }
  for (const a of expandAcceptedAnswers(answers)) {
    const w = words(a);
    const last = w[w.length - 1];
    // An abbreviation ("RATS") has no singular.
    const lastTyped = a.trim().split(/\s+/).pop() ?? '';
    if (last && last.length >= 4 && stem(last) !== last && lastTyped !== lastTyped.toUpperCase()) {
      const singular = [...w.slice(0, -1), stem(last)].join(' ');
      if (!accepts(singular)) suggestions.push(singular);
    }
    const short = KNOWN_SHORT_FORMS[w.join(' ')];
    if (short && !accepts(short)) suggestions.push(short);
  }
  return [...new Set(suggestions)];
}

/** Warning: a short answer (or a blank) refuses an obvious variant: "X province", the abbreviation the paper uses, the singular. */
export const shortVariants: QuestionDetector = (q: QuestionDefinition, ctx) => {
  const abbreviations = sourceAbbreviations(ctx);
  const lists: { label: string; answers: string[]; prompt: string | null }[] =
    q.type === 'short'
      ? [{ label: 'The answer', answers: q.answers, prompt: q.prompt }]
      : q.type === 'cloze'
        ? q.blanks.map((b, i) => ({ label: `Blank ${i + 1}`, answers: b.answers, prompt: null }))
        : [];
  return lists.flatMap(({ label, answers, prompt }) => {
    const missing = missingVariants(answers, prompt, abbreviations);
    return missing.length
      ? [
          questionFlag(
            q,
            'missing-variant',
            'warning',
            `${label} refuses ${missing
              .slice(0, 3)
              .map((m) => `"${m}"`)
              .join(', ')}: add the variants people write.`,
          ),
        ]
      : [];
  });
};
