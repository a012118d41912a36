import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { strToU8, zipSync } from 'fflate';
import type { QuestionDefinition } from '../../../questions/definition.ts';
import { answerKeyText } from '../../../questions/answer-key.ts';
import { escapeHtml, htmlToText, richBlock, richInline } from '../../../formatting/index.ts';
import { cardSides, DEFAULT_CARD_EXPLANATION } from '../card.ts';
import { DEFAULT_CLOZE_PROMPT } from '../gift/question.ts';
import { ANKI_SCHEMA, ankiConf, ankiDeck, ankiDeckOptions, ankiModel } from './collection.ts';

/*
 * A bank as an Anki deck package (.apkg): a zip (fflate) holding `collection.anki2`, a SQLite
 * collection in Anki's schema 11 (built in memory with better-sqlite3, the format every Anki
 * since 2.1 imports, including AnkiDroid and AnkiMobile), and `media`, the JSON map of the files
 * it carries (none: Lectern stores no files).
 *
 * Cards stay front/back notes; a cloze becomes an Anki cloze note ({{c1::answer}}), one card a
 * blank; every other question is its prompt (with its choices) and its answer key, for study in
 * Anki. Every note also carries its explanation and the passage that proves it, the thing an
 * Anki deck made by hand rarely has. Fields are HTML, as Anki stores them, rendered from
 * Lectern's Markdown subset through the same sanitiser as its pages.
 *
 * A note's guid is derived from the bank and the question id, so importing a newer export of
 * the same bank updates its notes in Anki instead of duplicating them.
 */

/** Anki's field separator inside notes.flds. */
const FIELD_SEP = '\x1f';

export interface AnkiPackageOptions {
  /** The deck's name in Anki: the bank's title. */
  deck: string;
  /** A stable key for the bank (its id): the deck's id and the notes' guids derive from it. */
  bankKey: string;
  /** When the package is made (tests pass a fixed time). */
  now?: Date;
}

interface Note {
  model: 'basic' | 'cloze';
  fields: string[];
  /** Cards the note makes: one, or one a cloze deletion. */
  cards: number;
  tags: string[];
  guid: string;
}

/** "where it says so", as the back of every card shows it. */
function sourceField(def: QuestionDefinition): string {
  return `“${escapeHtml(def.source.quote)}” <span class="passage">(${escapeHtml(def.source.passageId)})</span>`;
}

function explanationField(def: QuestionDefinition): string {
  return def.explanation === DEFAULT_CARD_EXPLANATION ? '' : richBlock(def.explanation).trim();
}

/** A cloze's text with Anki deletions, or null when an answer holds what Anki's syntax cannot ("::", "}}"). */
function clozeText(def: Extract<QuestionDefinition, { type: 'cloze' }>): string | null {
  const parts = def.text.split(/\{\{(\d+)\}\}/);
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      out += richInline(parts[i]);
      continue;
    }
    const answer = def.blanks[Number(parts[i]) - 1]?.answers[0];
    if (answer === undefined || /::|\}\}/.test(answer)) return null;
    out += `{{c${parts[i]}::${escapeHtml(answer)}}}`;
  }
  const prompt = def.prompt === DEFAULT_CLOZE_PROMPT ? '' : `${richInline(def.prompt)}<br>`;
  return prompt + out;
}

function noteOf(def: QuestionDefinition, bankKey: string): Note {
  const guid = createHash('sha256').update(`lectern\0${bankKey}\0${def.id}`).digest('base64url').slice(0, 16);
  const tags = def.topics.map((t) => t.replace(/\s+/g, '_'));
  if (def.type === 'cloze') {
    const text = clozeText(def);
    const blanks = new Set([...def.text.matchAll(/\{\{(\d+)\}\}/g)].map((m) => m[1])).size;
    if (text !== null) return { model: 'cloze', fields: [text, explanationField(def), sourceField(def)], cards: blanks, tags, guid };
  }
  const { front, back } = cardSides(def, answerKeyText);
  return { model: 'basic', fields: [richInline(front), richInline(back), explanationField(def), sourceField(def)], cards: 1, tags, guid };
}

/** A number from a hash, below 2^48 (Anki's ids are 64-bit; JavaScript's integers are exact to 2^53). */
const hashId = (s: string): number => parseInt(createHash('sha1').update(s).digest('hex').slice(0, 12), 16);

/** Anki's duplicate-check sum: the first 8 hex digits of the SHA-1 of the first field's text. */
const checksum = (field: string): number => parseInt(createHash('sha1').update(htmlToText(field)).digest('hex').slice(0, 8), 16);

/** The questions as an .apkg file's bytes. */
export function buildAnkiPackage(defs: readonly QuestionDefinition[], options: AnkiPackageOptions): Uint8Array {
  const now = options.now ?? new Date();
  const ms = now.getTime();
  const secs = Math.floor(ms / 1000);
  const deckId = hashId(`deck\0${options.bankKey}`);
  const deckName =
    options.deck
      .replace(/::/g, ':')
      .replace(/[\r\n]+/g, ' ')
      .trim() || 'Lectern';
  const models = { basic: ankiModel('basic', deckId, secs), cloze: ankiModel('cloze', deckId, secs) };
  const notes = defs.map((d) => noteOf(d, options.bankKey));

  const db = new Database(':memory:');
  try {
    db.exec(ANKI_SCHEMA);
    const dayStart = new Date(now);
    dayStart.setUTCHours(4, 0, 0, 0); // Anki's default "next day starts at" hour
    db.prepare('INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, ?)').run(
      Math.floor(dayStart.getTime() / 1000),
      ms,
      ms,
      JSON.stringify(ankiConf(deckId, models.basic.id, notes.length + 1)),
      JSON.stringify({ [models.basic.id]: models.basic, [models.cloze.id]: models.cloze }),
      JSON.stringify({ 1: ankiDeck(1, 'Default', secs), [deckId]: ankiDeck(deckId, deckName, secs) }),
      JSON.stringify({ 1: ankiDeckOptions(secs) }),
      '{}',
    );
    const addNote = db.prepare("INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')");
    // New cards: type 0, queue 0, due = the position they are shown in.
    const addCard = db.prepare("INSERT INTO cards VALUES (?, ?, ?, ?, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')");
    db.transaction(() => {
      let cardId = ms;
      notes.forEach((note, i) => {
        const noteId = ms + i;
        addNote.run(
          noteId,
          note.guid,
          models[note.model].id,
          secs,
          note.tags.length ? ` ${note.tags.join(' ')} ` : '',
          note.fields.join(FIELD_SEP),
          htmlToText(note.fields[0]!),
          checksum(note.fields[0]!),
        );
        for (let ord = 0; ord < note.cards; ord++) addCard.run(cardId++, noteId, deckId, ord, secs, i + 1);
      });
    })();
    const collection = db.serialize();
    return zipSync({ 'collection.anki2': new Uint8Array(collection.buffer, collection.byteOffset, collection.byteLength), media: strToU8('{}') }, { level: 6 });
  } finally {
    db.close();
  }
}
