/** Snowball's English (Porter2) stemmer, the one MongoDB's text indexes use; the package has no types. */
declare module 'wink-porter2-stemmer' {
  /** The stem of a word; the word is lowercased first. */
  const stem: (word: string) => string;
  export default stem;
}
