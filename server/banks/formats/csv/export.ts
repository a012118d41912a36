import type { QuestionDefinition } from '../../../questions/definition.ts';
import { defaultChoiceIds } from '../gift/question.ts';
import { csvField } from '../csv-rows.ts';
import { CSV_COLUMNS, joinList, type CsvColumn } from './columns.ts';

/**
 * The questions as Lectern's CSV (the columns of CSV_COLUMNS, comma-separated, quoted where
 * needed). What a row has no column for is not written: per-answer feedback, partial credit,
 * further numeric ranges; docs/formats.md says so.
 */
export function exportCsvQuestions(defs: readonly QuestionDefinition[]): string {
  const rows = defs.map((def) => {
    const c: Partial<Record<CsvColumn, string>> = {
      type: def.type,
      id: def.id,
      prompt: def.prompt,
      explanation: def.explanation,
      topics: joinList(def.topics, '|'),
      difficulty: def.difficulty,
      level: def.level ?? '',
      passage: def.source.passageId,
      quote: def.source.quote,
      source: def.source.sourceId ?? '',
    };
    switch (def.type) {
      case 'mcq':
      case 'multi': {
        c.choices = joinList(
          def.choices.map((ch) => ch.text),
          '|',
        );
        const right = def.type === 'mcq' ? [def.answer] : def.answers;
        c.answer = joinList(
          def.choices.filter((ch) => right.includes(ch.id)).map((ch) => ch.text),
          '|',
        );
        const ids = def.choices.map((ch) => ch.id);
        if (ids.join() !== defaultChoiceIds(ids.length).join()) c.choice_ids = joinList(ids, '|');
        break;
      }
      case 'truefalse':
        c.answer = String(def.answer);
        break;
      case 'short':
        c.answer = joinList(def.answers, '|');
        break;
      case 'numeric':
        c.answer = String(def.answer);
        c.tolerance = String(def.tolerance);
        c.unit = def.unit ?? '';
        break;
      case 'cloze':
        c.text = def.text;
        c.answer = def.blanks
          .map((b) =>
            joinList(
              b.answers.map((a) => a.split(';').join('\\;')),
              '|',
            ),
          )
          .join(' ; ');
        break;
      case 'matching':
        c.choices = joinList(
          def.pairs.map((p) => `${p.left} -> ${p.right}`),
          '|',
        );
        break;
      case 'ordering':
        c.choices = joinList(def.items, '|');
        break;
      case 'card':
        c.answer = def.back;
        break;
    }
    return CSV_COLUMNS.map((col) => csvField(c[col] ?? '', ',')).join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}
