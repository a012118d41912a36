/** Documents as data: what other features may ask of sources. */
export {
  changedPassages,
  findSource,
  getSource,
  listSources,
  migrateSources,
  passageById,
  passageMap,
  passagesOf,
  sourceExists,
  sourceTitles,
  type SourceView,
} from './service.ts';
export { addSource, addVersion, storeSource, canAddSource, canReadSource, readSourceFile, type SourceCaller, type SourceLimits } from './add-source.ts';
export { formatOf, REFUSALS, SourceFileError, type SourceFormat, type SplitDocument } from './extract/index.ts';
export type { PassageChange } from './versions.ts';
export type { Passage } from './passages.ts';
export { highlightQuote, type TextPiece } from './highlight.ts';
