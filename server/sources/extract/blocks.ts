/**
 * What every format's reader hands to the splitter: the document as a flat run of blocks, in
 * reading order. Readers know their format; the splitter knows sections, passages and ids.
 */
export type Block =
  | { kind: 'heading'; text: string; level: number; /** An id the author gave ({#slug}). */ id?: string }
  | { kind: 'paragraph'; text: string }
  /** A footnote or endnote: becomes a passage of its own in the notes section. */
  | { kind: 'note'; text: string; label?: string };

/** A reader's output: blocks plus what it had to guess or repair, for the preview. */
export interface ReadDocument {
  title?: string;
  blocks: Block[];
  /** Sentences for a person: "Headings guessed from font size (12 found)". */
  guesses: string[];
  pages?: number;
}

/** Reports progress of a long read (pages done of pages). */
export type ProgressFn = (done: number, total: number) => void;
