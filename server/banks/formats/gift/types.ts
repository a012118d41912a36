import type { Difficulty, QuestionDefinition, SourceRef, Topic } from '../../../questions/definition.ts';

/** What an import fills in when a question has no `// lectern:` comment (or the comment omits a field). */
export interface GiftDefaults {
  topics?: Topic[];
  difficulty?: Difficulty;
  source?: SourceRef;
  explanation?: string;
  /** The topics of the bank the file goes into: a question tagged with any other is refused at its line. */
  bankTopics?: readonly string[];
}

/** A problem with an imported file, at a 1-based line. */
export interface GiftError {
  line: number;
  message: string;
}

/** A question read from a file and the line it starts on. */
export interface GiftQuestion {
  definition: QuestionDefinition;
  line: number;
}

/** Everything a file holds: the questions that could be read, and why each other one could not. */
export interface ReadGiftResult {
  questions: GiftQuestion[];
  errors: GiftError[];
  /** How many questions (or stray comments) the errors refuse. */
  refused: number;
}

/** All the questions of a file, or every error found in it (never a partial import). */
export type ParseGiftResult = { questions: QuestionDefinition[] } | { errors: GiftError[] };

/** Exported GIFT text, and the questions GIFT cannot express with the reason why. */
export interface ExportGiftResult {
  text: string;
  skipped: { id: string; reason: string }[];
}
