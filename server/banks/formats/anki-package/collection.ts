/*
 * The fixed parts of an Anki collection in schema 11 (the `collection.anki2` of an .apkg):
 * its tables, and the JSON the `col` row holds for configuration, note types, decks and deck
 * options. Field names and defaults are Anki's own (see AnkiDroid's "Database Structure").
 */

export const ANKI_SCHEMA = `
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null, scm integer not null,
  ver integer not null, dty integer not null, usn integer not null, ls integer not null, conf text not null,
  models text not null, decks text not null, dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, mod integer not null,
  usn integer not null, tags text not null, flds text not null, sfld integer not null, csum integer not null,
  flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null, ord integer not null,
  mod integer not null, usn integer not null, type integer not null, queue integer not null, due integer not null,
  ivl integer not null, factor integer not null, reps integer not null, lapses integer not null, left integer not null,
  odue integer not null, odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null, ease integer not null,
  ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
`;

/** Fixed note type ids: a later export of any bank updates the same note types in Anki. */
export const MODEL_IDS = { basic: 1_764_806_400_001, cloze: 1_764_806_400_002 } as const;

const CSS = `.card { font-family: system-ui, sans-serif; font-size: 20px; text-align: left; color: black; background-color: white; }
.explanation { margin-top: 1em; }
.source { margin-top: 1em; font-size: 16px; color: #444; border-left: 3px solid #999; padding-left: 0.6em; }
.cloze { font-weight: bold; color: #1a5fb4; }`;

const BACK_MATTER = '{{#Explanation}}<div class="explanation">{{Explanation}}</div>{{/Explanation}}<div class="source">{{Source}}</div>';

const field = (name: string, ord: number) => ({ name, ord, sticky: false, rtl: false, font: 'Arial', size: 20, media: [] });

/** Lectern's two note types: a front/back card, and a cloze; both carry the explanation and the source. */
export function ankiModel(kind: 'basic' | 'cloze', deckId: number, secs: number) {
  const basic = kind === 'basic';
  const names = basic ? ['Front', 'Back', 'Explanation', 'Source'] : ['Text', 'Explanation', 'Source'];
  const template = basic
    ? { name: 'Card 1', qfmt: '{{Front}}', afmt: `{{FrontSide}}<hr id="answer">{{Back}}${BACK_MATTER}` }
    : { name: 'Cloze', qfmt: '{{cloze:Text}}', afmt: `{{cloze:Text}}<hr id="answer">${BACK_MATTER}` };
  return {
    id: MODEL_IDS[kind],
    name: basic ? 'Lectern basic' : 'Lectern cloze',
    type: basic ? 0 : 1,
    mod: secs,
    usn: -1,
    sortf: 0,
    did: deckId,
    tmpls: [{ ...template, ord: 0, bqfmt: '', bafmt: '', did: null }],
    flds: names.map(field),
    css: CSS,
    latexPre:
      '\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n',
    latexPost: '\\end{document}',
    latexsvg: false,
    req: [[0, 'any', [0]]],
    tags: [],
    vers: [],
  };
}

export function ankiDeck(id: number, name: string, secs: number) {
  return {
    id,
    name,
    desc: id === 1 ? '' : 'Exported from Lectern: every card shows the passage that proves its answer.',
    conf: 1,
    dyn: 0,
    collapsed: false,
    browserCollapsed: false,
    extendNew: 10,
    extendRev: 50,
    newToday: [0, 0],
    revToday: [0, 0],
    lrnToday: [0, 0],
    timeToday: [0, 0],
    mod: secs,
    usn: -1,
  };
}

/** Anki's default deck options. */
export function ankiDeckOptions(secs: number) {
  return {
    id: 1,
    name: 'Default',
    mod: secs,
    usn: 0,
    dyn: false,
    maxTaken: 60,
    timer: 0,
    autoplay: true,
    replayq: true,
    new: { bury: true, delays: [1, 10], initialFactor: 2500, ints: [1, 4, 7], order: 1, perDay: 20, separate: true },
    lapse: { delays: [10], leechAction: 0, leechFails: 8, minInt: 1, mult: 0 },
    rev: { bury: true, ease4: 1.3, fuzz: 0.05, ivlFct: 1, maxIvl: 36500, minSpace: 1, perDay: 200 },
  };
}

/** The collection's settings; `nextPos` is the position the next new card added in Anki gets. */
export function ankiConf(deckId: number, modelId: number, nextPos: number) {
  return {
    activeDecks: [deckId],
    curDeck: deckId,
    curModel: modelId,
    newSpread: 0,
    collapseTime: 1200,
    timeLim: 0,
    estTimes: true,
    dueCounts: true,
    nextPos,
    sortType: 'noteFld',
    sortBackwards: false,
    addToCur: true,
    schedVer: 2,
  };
}
