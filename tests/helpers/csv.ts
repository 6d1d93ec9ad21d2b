/**
 * The tests' CSV reader: csv-parse (a maintained RFC 4180 parser, independent of our writers) with strict settings —
 * quotes must be well formed and every row must have as many fields as the first, so a broken export fails the test
 * instead of being read leniently. Rows are returned as arrays of strings, header included.
 */
import { parse } from 'csv-parse/sync';

export function parseCsv(text: string): string[][] {
  return parse(text, { relax_quotes: false, relax_column_count: false, skip_empty_lines: false, bom: false }) as string[][];
}
