import { readGiftYielding, type GiftDefaults, type ReadGiftResult } from './gift/index.ts';
import { readAiken } from './aiken/index.ts';
import { readAnkiText } from './anki-text/index.ts';
import { readQuizlet, separatorOf } from './quizlet/index.ts';
import { readCsvQuestions } from './csv/index.ts';
import { readMoodleXml } from './moodle-xml/index.ts';
import { isOneOf } from '../../object-shape.ts';

/* The foreign formats an import reads, each a pure module of its own; JSON is the service's. */

export const FOREIGN_FORMATS = ['gift', 'aiken', 'anki', 'quizlet', 'csv', 'moodle'] as const;
export type ForeignFormat = (typeof FOREIGN_FORMATS)[number];

/** What the import form says beside the text: Quizlet's separators. */
export interface ForeignOptions {
  quizletTerm?: string;
  quizletRow?: string;
}

export const isForeignFormat = (format: string): format is ForeignFormat => isOneOf(FOREIGN_FORMATS, format);

/** Every question a foreign file holds, and a line-numbered reason for each other one. */
export async function readForeign(format: ForeignFormat, text: string, defaults: GiftDefaults, options: ForeignOptions = {}): Promise<ReadGiftResult> {
  switch (format) {
    case 'gift':
      return readGiftYielding(text, defaults);
    case 'aiken':
      return readAiken(text, defaults);
    case 'anki':
      return readAnkiText(text, defaults);
    case 'quizlet':
      return readQuizlet(text, { term: separatorOf(options.quizletTerm ?? '', '\t'), row: separatorOf(options.quizletRow ?? '', '\n') }, defaults);
    case 'csv':
      return readCsvQuestions(text, defaults);
    case 'moodle':
      return readMoodleXml(text, defaults);
  }
}
