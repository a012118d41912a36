/** CSV for spreadsheets: the one rule lives in formatting/ (classes write CSV too). */
export { csvCell, toCsv, type CsvCell } from '../formatting/csv.ts';
