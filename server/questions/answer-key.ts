import type { QuestionBody, QuestionDefinition } from './definition.ts';
import { opaqueId } from './opaque-id.ts';
import type { QuestionResponse } from './parse-response.ts';

/** "8%" and "45°" read better without a space; "42 km" with one. */
export function withUnit(value: number, unit: string | undefined): string {
  if (!unit) return String(value);
  return /^[%°‰]$/.test(unit) ? `${value}${unit}` : `${value} ${unit}`;
}

const numbered = (texts: string[]) => texts.map((t, i) => `${i + 1}. ${t}`).join('; ');

/** The correct answer in words, for review pages and flashcard backs (the body is all it reads). */
export function answerKeyText(def: QuestionBody): string {
  switch (def.type) {
    case 'mcq':
      return def.choices.find((c) => c.id === def.answer)?.text ?? def.answer;
    case 'multi':
      return def.choices
        .filter((c) => def.answers.includes(c.id))
        .map((c) => c.text)
        .join('; ');
    case 'truefalse':
      return def.answer ? 'True' : 'False';
    case 'short': {
      const [first, ...others] = def.answers;
      return others.length ? `${first} (also accepted: ${others.join(', ')})` : first!;
    }
    case 'numeric':
      return def.tolerance > 0 ? `${withUnit(def.answer, def.unit)} (± ${withUnit(def.tolerance, def.unit)})` : withUnit(def.answer, def.unit);
    case 'cloze':
      return def.text.replace(/\{\{(\d+)\}\}/g, (_, n: string) => `[${def.blanks[Number(n) - 1]?.answers[0] ?? '?'}]`);
    case 'matching':
      return def.pairs.map((p) => `${p.left} → ${p.right}`).join('; ');
    case 'ordering':
      return numbered(def.items);
    case 'essay':
      return def.modelAnswer ?? (def.rubric ? `Marked against: ${def.rubric}` : 'Marked by your instructor.');
    case 'card':
      return def.back;
  }
}

/** A learner's response in words, using the question's texts rather than ids. */
export function responseText(def: QuestionDefinition, response: QuestionResponse): string {
  const none = 'Not answered';
  if (def.type !== response.type) return none;
  switch (response.type) {
    case 'mcq':
      if (def.type !== 'mcq' || response.choice === null) return none;
      return def.choices.find((c) => c.id === response.choice)?.text ?? none;
    case 'multi': {
      if (def.type !== 'multi') return none;
      const picked = def.choices.filter((c) => response.choices.includes(c.id)).map((c) => c.text);
      return picked.length ? picked.join('; ') : none;
    }
    case 'truefalse':
      return response.value === null ? none : response.value ? 'True' : 'False';
    case 'short':
      return response.text.trim() || none;
    case 'numeric':
      return response.value === null || def.type !== 'numeric' ? none : withUnit(response.value, def.unit);
    case 'cloze':
      if (def.type !== 'cloze' || response.blanks.every((b) => b.trim() === '')) return none;
      return def.text.replace(/\{\{(\d+)\}\}/g, (_, n: string) => `[${response.blanks[Number(n) - 1]?.trim() || '…'}]`);
    case 'matching': {
      if (def.type !== 'matching') return none;
      const rightText = new Map(def.pairs.map((p) => [opaqueId(p.right), p.right]));
      const lines = def.pairs.map((p) => `${p.left} → ${rightText.get(response.pairs[opaqueId(p.left)] ?? '') ?? '…'}`);
      return Object.keys(response.pairs).length ? lines.join('; ') : none;
    }
    case 'ordering': {
      if (def.type !== 'ordering' || response.order.length === 0) return none;
      const itemText = new Map(def.items.map((i) => [opaqueId(i), i]));
      return numbered(response.order.map((id) => itemText.get(id) ?? '?'));
    }
    case 'essay':
      return response.text.trim() || none;
    case 'card':
      return response.knew === null ? none : response.knew ? 'I knew it' : 'I did not know it';
  }
}
