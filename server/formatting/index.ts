/** How pages and exports write numbers, times and CSV: one rule each. */
export { formatPercent, percentValue } from './percent.ts';
export { DEFAULT_TIME_ZONE, formatTime, inputDate, startOfDayIn, zonedInput } from './dates.ts';
export { TIME_ZONES, canonicalTimeZone, timeZoneOptions } from './time-zones.ts';
export { studyDayEnd, studyDayKey, studyDayReader, type StudyDayReader } from './study-days.ts';
export { escapeHtml, htmlToMarkdown, htmlToText, plainOf, richBlock, richInline, richTextHelpers } from './rich-text.ts';
export { csvCell, toCsv, type CsvCell } from './csv.ts';
