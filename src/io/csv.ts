/**
 * Delimited text (CSV, TSV, whitespace columns as `np.savetxt` writes them): a reader that keeps
 * each row's line number for error messages, and a writer that quotes per RFC 4180.
 *
 * Quoted fields ("a, b", "say ""hi""") may hold the delimiter, quotes and line breaks. Blank lines
 * are skipped. A leading UTF-8 byte-order mark (Excel writes one) is dropped.
 */
import { EmbeddingsError } from './errors.ts';

/** ',' comma, '\t' tab, ';' semicolon, or 'whitespace' (runs of spaces/tabs, no quoting). */
export type Delimiter = ',' | '\t' | ';' | 'whitespace';

export interface DelimitedRows {
  /** Cells of each non-blank row. */
  readonly rows: string[][];
  /** 1-based line number where each row starts. */
  readonly lines: number[];
}

/** Guess the delimiter from the first non-blank line: tab, then comma, then semicolon, else whitespace. */
export function detectDelimiter(text: string): Delimiter {
  const first = /[^\r\n]*\S[^\r\n]*/.exec(text)?.[0] ?? '';
  if (first.includes('\t')) return '\t';
  if (first.includes(',')) return ',';
  if (first.includes(';')) return ';';
  return 'whitespace';
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Split text into rows of cells. Throws `EmbeddingsError` on an unterminated quote. */
export function parseDelimited(text: string, delimiter: Delimiter): DelimitedRows {
  const lines = stripBom(text).split('\n');
  const rows: string[][] = [];
  const starts: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    const lineNumber = i + 1;
    if (delimiter === 'whitespace') {
      rows.push(line.trim().split(/[ \t]+/));
      starts.push(lineNumber);
    } else if (!line.includes('"')) {
      rows.push(line.split(delimiter)); // fast path: most numeric rows have no quotes
      starts.push(lineNumber);
    } else {
      const cells: string[] = [];
      let cell = '';
      let pos = 0;
      let quoted = false;
      for (;;) {
        if (pos >= line.length) {
          if (!quoted) break;
          // A quoted field runs on over the line break.
          i++;
          if (i >= lines.length) {
            throw new EmbeddingsError(`line ${lineNumber}: a quoted field is never closed`);
          }
          cell += '\n';
          line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
          pos = 0;
          continue;
        }
        const c = line[pos++];
        if (quoted) {
          if (c !== '"') cell += c;
          else if (line[pos] === '"') {
            cell += '"';
            pos++;
          } else quoted = false;
        } else if (c === '"' && cell.trim() === '') {
          cell = '';
          quoted = true;
        } else if (c === delimiter) {
          cells.push(cell);
          cell = '';
        } else cell += c;
      }
      cells.push(cell);
      rows.push(cells);
      starts.push(lineNumber);
    }
  }
  return { rows, lines: starts };
}

export interface WriteCsvOptions {
  /** Field separator: ',' (default) or '\t'. */
  readonly delimiter?: ',' | '\t';
}

/**
 * Text a spreadsheet would run as a formula (the OWASP CSV-injection rule): a cell starting with
 * `=`, `+`, `@`, a tab, a carriage return, or `-` followed by anything but a digit (so negative
 * numbers stay numbers). `=HYPERLINK(…)` in a label must stay text.
 */
const FORMULA_START = /^(?:[=+@\t\r]|-(?!\d))/;

function quoteCell(value: string | number, delimiter: string): string {
  let s = typeof value === 'number' ? String(value) : value;
  const formula = typeof value === 'string' && FORMULA_START.test(s);
  // A leading apostrophe is how spreadsheets mark a cell as text; quoting keeps it one cell.
  if (formula) s = `'${s}`;
  const needs =
    formula ||
    s.includes(delimiter) ||
    s.includes('"') ||
    s.includes('\n') ||
    s.includes('\r') ||
    s !== s.trim();
  return needs ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * CSV/TSV text: an optional header row, then one line per row; a cell is quoted only when it
 * holds the delimiter, a quote, a line break or edge spaces. A text cell a spreadsheet would
 * run as a formula (see FORMULA_START) is written as `'` + the text, quoted. Numbers print with String(); format
 * them first (see formatFloat32) for short exact float32 text. Ends with a newline.
 */
export function writeCsv(
  header: readonly string[] | null,
  rows: Iterable<readonly (string | number)[]>,
  options: WriteCsvOptions = {},
): string {
  const delimiter = options.delimiter ?? ',';
  const out: string[] = [];
  if (header) out.push(header.map((h) => quoteCell(h, delimiter)).join(delimiter));
  for (const row of rows) out.push(row.map((c) => quoteCell(c, delimiter)).join(delimiter));
  return out.length === 0 ? '' : out.join('\n') + '\n';
}
