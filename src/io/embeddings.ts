/**
 * Embedding files in, embedding files out.
 *
 * `readEmbeddings` takes whatever a person drops on the page or passes to the CLI: a `.npy`
 * array, CSV/TSV/whitespace text (numeric columns, an optional header row, an optional single
 * label column), or JSON in one of three shapes:
 *   - `[[0.1, 0.2, …], …]`
 *   - `{"embeddings": [[…], …], "labels": ["cat", …]}` (labels optional)
 *   - `[{"embedding": […], "label": "cat"}, …]` (`vector` is accepted for `embedding`)
 * It returns one flat Float32Array (n·d, row-major) and checks shape and finiteness, naming the
 * line or row at fault. It does not normalise: call `normalizeRows` for unit length.
 */
import { detectDelimiter, parseDelimited, writeCsv, type Delimiter } from './csv.ts';
import { EmbeddingsError } from './errors.ts';
import { formatFloat32 } from './formatFloat32.ts';
import { readNpy, type ReadNpyOptions } from './npy.ts';
import { cleanText } from './text.ts';

export interface Embeddings {
  /** n·d values, row i at [i·d, (i+1)·d). */
  readonly data: Float32Array;
  /** Number of rows (items), ≥ 1. */
  readonly n: number;
  /** Dimension of each row, ≥ 2. */
  readonly d: number;
  /** One label per row when the file had them. */
  readonly labels?: string[];
}

/**
 * Header names that mean "this column holds the labels", best first (compared case-insensitively):
 * with both "id" and "label" columns, "label" wins.
 */
const LABEL_COLUMN_NAMES = [
  'label',
  'labels',
  'name',
  'text',
  'caption',
  'title',
  'class',
  'category',
  'concept',
  'word',
  'id',
];

/** Index of the most label-like header cell, or -1. */
function labelColumnByName(header: readonly string[]): number {
  const names = header.map((h) => h.trim().toLowerCase());
  for (const want of LABEL_COLUMN_NAMES) {
    const i = names.indexOf(want);
    if (i >= 0) return i;
  }
  return -1;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/** A cell that is meant as a number, finite or not (so 'nan' is reported as not finite). */
function looksNumeric(cell: string): boolean {
  const s = cell.trim();
  return NUMBER.test(s) || NON_FINITE.test(s);
}

function extensionOf(fileName: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(fileName);
  return m ? m[1].toLowerCase() : '';
}

function checkShape(n: number, d: number, where: string): void {
  if (n < 1) throw new EmbeddingsError(`${where} holds no embeddings`);
  if (d < 2) {
    throw new EmbeddingsError(`${where}: each embedding needs at least 2 numbers, got ${d}`);
  }
}

/**
 * Read embeddings from a file's bytes; the name's extension picks the format, else the content.
 * `options.shareBytes` (default false): a .npy file's float32 rows may stay in `bytes`' buffer
 * (readNpy), for a caller that hands the bytes over.
 */
export function readEmbeddings(
  bytes: Uint8Array,
  fileName: string,
  options: ReadNpyOptions = {},
): Embeddings {
  if (bytes.length === 0) throw new EmbeddingsError(`${fileName} is empty`);
  const ext = extensionOf(fileName);
  const isNpy = bytes[0] === 0x93 && bytes[1] === 0x4e && bytes[2] === 0x55; // \x93NU(MPY)
  if (ext === 'npy' || isNpy) return fromNpy(bytes, fileName, options);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new EmbeddingsError(
      `${fileName} is neither a .npy file nor UTF-8 text (expected .npy, .csv, .tsv, .txt or .json)`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstChar = /\S/.exec(text)?.[0];
  if (firstChar === undefined) throw new EmbeddingsError(`${fileName} holds only blank space`);
  if (ext === 'json' || firstChar === '[' || firstChar === '{') return fromJson(text, fileName);
  const delimiter: Delimiter = ext === 'tsv' ? '\t' : detectDelimiter(text);
  return fromDelimited(text, delimiter, fileName);
}

function fromNpy(bytes: Uint8Array, fileName: string, options: ReadNpyOptions): Embeddings {
  const { data, shape } = readNpy(bytes, options); // NpyError says what is wrong with the file itself
  let n: number;
  let d: number;
  if (shape.length === 2) [n, d] = shape;
  else if (shape.length === 1) [n, d] = [1, shape[0]];
  else {
    throw new EmbeddingsError(
      `${fileName}: expected a 2-D array (rows × dimensions), got shape (${shape.join(', ')})`,
    );
  }
  checkShape(n, d, fileName);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(data[i * d + j])) {
        throw new EmbeddingsError(
          `${fileName}: row ${i + 1} holds ${data[i * d + j]} at column ${j + 1}; every value must be finite`,
        );
      }
    }
  }
  return { data, n, d };
}

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v).slice(0, 30)}`;
}

function labelFromJson(v: unknown, where: string): string {
  if (typeof v === 'string') return cleanText(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new EmbeddingsError(`${where}: a label must be a string, got ${describeJson(v)}`);
}

function fromJson(text: string, fileName: string): Embeddings {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    throw new EmbeddingsError(`${fileName} is not valid JSON: ${(e as Error).message}`);
  }
  let vectors: unknown[];
  let labels: string[] | undefined;
  if (Array.isArray(root)) {
    if (root.length === 0) throw new EmbeddingsError(`${fileName} holds no embeddings`);
    if (Array.isArray(root[0])) vectors = root;
    else if (root[0] !== null && typeof root[0] === 'object') {
      vectors = [];
      const found: string[] = [];
      root.forEach((item: unknown, i) => {
        const where = `${fileName}: item ${i}`;
        if (item === null || typeof item !== 'object' || Array.isArray(item)) {
          throw new EmbeddingsError(`${where} is ${describeJson(item)}, expected an object`);
        }
        const rec = item as Record<string, unknown>;
        const vector = rec.embedding ?? rec.vector;
        if (vector === undefined) {
          throw new EmbeddingsError(`${where} has no "embedding" (or "vector") field`);
        }
        vectors.push(vector);
        if (rec.label !== undefined) found.push(labelFromJson(rec.label, where));
      });
      if (found.length === root.length) labels = found;
      else if (found.length > 0) {
        throw new EmbeddingsError(
          `${fileName}: ${found.length} of ${root.length} items have a "label"; give every item one or none`,
        );
      }
    } else {
      throw new EmbeddingsError(
        `${fileName}: expected an array of arrays or of objects, found ${describeJson(root[0])} first`,
      );
    }
  } else if (root !== null && typeof root === 'object') {
    const rec = root as Record<string, unknown>;
    if (!Array.isArray(rec.embeddings)) {
      throw new EmbeddingsError(`${fileName}: expected an "embeddings" array of arrays`);
    }
    vectors = rec.embeddings;
    if (rec.labels !== undefined) {
      if (!Array.isArray(rec.labels)) {
        throw new EmbeddingsError(`${fileName}: "labels" must be an array of strings`);
      }
      labels = rec.labels.map((l, i) => labelFromJson(l, `${fileName}: label ${i}`));
      if (labels.length !== vectors.length) {
        throw new EmbeddingsError(
          `${fileName}: ${labels.length} labels for ${vectors.length} embeddings; they must match`,
        );
      }
    }
  } else {
    throw new EmbeddingsError(
      `${fileName}: expected a JSON array or object, got ${describeJson(root)}`,
    );
  }

  const n = vectors.length;
  const first = vectors[0];
  const d = Array.isArray(first) ? first.length : 0;
  checkShape(n, d, fileName);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = vectors[i];
    if (!Array.isArray(row)) {
      throw new EmbeddingsError(`${fileName}: row ${i} is ${describeJson(row)}, expected an array`);
    }
    if (row.length !== d) {
      throw new EmbeddingsError(
        `${fileName}: row ${i} has ${row.length} numbers; row 0 has ${d} (rows must all be the same length)`,
      );
    }
    for (let j = 0; j < d; j++) {
      const v: unknown = row[j];
      if (typeof v !== 'number') {
        throw new EmbeddingsError(
          `${fileName}: row ${i}, position ${j} is ${describeJson(v)}, expected a number`,
        );
      }
      const f = Math.fround(v);
      if (!Number.isFinite(f)) {
        throw new EmbeddingsError(
          `${fileName}: row ${i}, position ${j}: ${v} is beyond float32 range`,
        );
      }
      data[i * d + j] = f;
    }
  }
  return labels ? { data, n, d, labels } : { data, n, d };
}

/** Column indices of cells that are not numbers. */
function nonNumericColumns(row: readonly string[]): number[] {
  const out: number[] = [];
  row.forEach((c, i) => {
    if (!looksNumeric(c)) out.push(i);
  });
  return out;
}

/**
 * True when a first row of only numbers is really pandas' default header "0,1,2,…" (three or
 * more columns counted from 0): no real embedding is that sequence, a tiny test vector might be.
 */
function isCountingHeader(row: readonly string[], skip: number): boolean {
  const nums = row.filter((_, i) => i !== skip).map((c) => c.trim());
  return nums.length >= 3 && nums.every((c, i) => c === String(i));
}

function fromDelimited(text: string, delimiter: Delimiter, fileName: string): Embeddings {
  const { rows, lines } = parseDelimited(text, delimiter);
  if (rows.length === 0) throw new EmbeddingsError(`${fileName} holds no embeddings`);
  const columns = rows[0].length;

  // Header: the first row has text in two or more columns (a data row has at most one, its
  // label), or counts columns as pandas writes them ("0,1,2,…", perhaps after a label name).
  let labelColumn = -1;
  let start = 0;
  const first = nonNumericColumns(rows[0]);
  if (first.length >= 2 || isCountingHeader(rows[0], first.length === 1 ? first[0] : -1)) {
    start = 1;
    labelColumn = labelColumnByName(rows[0]);
  }
  if (start >= rows.length) throw new EmbeddingsError(`${fileName} has a header but no rows`);
  if (labelColumn < 0) {
    const text = nonNumericColumns(rows[start]);
    if (text.length > 1) {
      throw new EmbeddingsError(
        `${fileName}, line ${lines[start]}: ${text.length} columns are not numbers (${text
          .map((c) => c + 1)
          .join(', ')}); at most one label column is allowed`,
      );
    }
    if (text.length === 1) labelColumn = text[0];
  }

  const n = rows.length - start;
  const d = columns - (labelColumn >= 0 ? 1 : 0);
  checkShape(n, d, fileName);
  const data = new Float32Array(n * d);
  const labels: string[] = [];
  for (let r = start; r < rows.length; r++) {
    const row = rows[r];
    const line = lines[r];
    if (row.length !== columns) {
      throw new EmbeddingsError(
        `${fileName}, line ${line}: ${row.length} columns; line ${lines[0]} has ${columns} (rows must all be the same length)`,
      );
    }
    let o = (r - start) * d;
    for (let c = 0; c < columns; c++) {
      if (c === labelColumn) {
        labels.push(cleanText(row[c]));
        continue;
      }
      const cell = row[c].trim();
      if (cell === '') {
        throw new EmbeddingsError(`${fileName}, line ${line}, column ${c + 1} is empty`);
      }
      if (!NUMBER.test(cell)) {
        const reason = NON_FINITE.test(cell) ? 'is not a finite number' : 'is not a number';
        throw new EmbeddingsError(
          `${fileName}, line ${line}, column ${c + 1}: ${JSON.stringify(cell.slice(0, 40))} ${reason}`,
        );
      }
      const v = Math.fround(Number(cell));
      if (!Number.isFinite(v)) {
        throw new EmbeddingsError(
          `${fileName}, line ${line}, column ${c + 1}: ${cell} is beyond float32 range`,
        );
      }
      data[o++] = v;
    }
  }
  return labelColumn >= 0 ? { data, n, d, labels } : { data, n, d };
}

export interface ReadLabelsOptions {
  /** CSV column to take (header name, case-insensitive); default: a label-like name, else the first non-numeric column. */
  readonly column?: string;
}

/**
 * Labels, one per line; trailing empty lines are ignored (inner ones are kept as empty labels
 * so line i still labels row i). A CSV/TSV with a header row, every line with the same number of
 * columns, is read as a table: the named column, a label-like column, or the first text column.
 * Every label is cleaned (src/io/text.ts cleanText: no control or bidirectional characters, at
 * most 1,000 characters), as are labels read with the embeddings.
 */
export function readLabels(text: string, options: ReadLabelsOptions = {}): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new EmbeddingsError('the labels file is empty');

  const delimiter = lines[0].includes('\t') ? '\t' : lines[0].includes(',') ? ',' : null;
  let table: ReturnType<typeof parseDelimited> | null = null;
  if (delimiter !== null) {
    try {
      table = parseDelimited(lines.join('\n'), delimiter);
    } catch (e) {
      // An unbalanced quote (say, the label 5" screw) just means these are plain lines.
      if (options.column !== undefined) throw e;
    }
  }
  const columns = table?.rows[0].length ?? 0;
  const tabular =
    table !== null &&
    table.rows.length >= 2 &&
    columns >= 2 &&
    table.rows.every((r) => r.length === columns);
  if (options.column !== undefined) {
    if (table === null) {
      throw new EmbeddingsError(
        `cannot take column "${options.column}": the labels file is not a CSV/TSV table`,
      );
    }
    if (!tabular) {
      const bad = table.rows.findIndex((r) => r.length !== columns);
      throw new EmbeddingsError(
        bad < 0
          ? 'the labels table has a header but no rows'
          : `labels table, line ${table.lines[bad]}: ${table.rows[bad].length} columns; the header has ${columns}`,
      );
    }
  }
  // Lines that merely all hold one comma ("Paris, France") are not a table: without a column
  // named for us, a table must name a label column or have a column of numbers.
  const looksLikeTable =
    tabular &&
    table !== null &&
    (options.column !== undefined ||
      labelColumnByName(table.rows[0]) >= 0 ||
      table.rows[0].some((_, c) => table.rows.slice(1).every((r) => looksNumeric(r[c]))));
  if (table !== null && looksLikeTable) {
    const { rows } = table;
    let col: number;
    if (options.column !== undefined) {
      col = rows[0].map((h) => h.trim().toLowerCase()).indexOf(options.column.trim().toLowerCase());
      if (col < 0) {
        throw new EmbeddingsError(
          `the labels table has no column "${options.column}" (columns: ${rows[0].join(', ')})`,
        );
      }
    } else {
      col = labelColumnByName(rows[0]);
      if (col < 0) col = rows[1].findIndex((c) => !looksNumeric(c));
      if (col < 0) {
        throw new EmbeddingsError(
          `the labels table has no text column (columns: ${rows[0].join(', ')}); name the one to use`,
        );
      }
    }
    return rows.slice(1).map((r) => cleanText(r[col]));
  }
  return lines.map((l) => cleanText(l));
}

/**
 * Scale each row to unit length, in place, and return `data`. Checks everything first, so a bad
 * row leaves the data untouched: non-finite values and all-zero rows are refused by row number.
 */
export function normalizeRows(data: Float32Array, n: number, d: number): Float32Array {
  if (!Number.isInteger(n) || n < 1)
    throw new EmbeddingsError(`need at least 1 embedding, got ${n}`);
  if (!Number.isInteger(d) || d < 2) {
    throw new EmbeddingsError(`each embedding needs at least 2 numbers, got ${d}`);
  }
  if (data.length !== n * d) {
    throw new EmbeddingsError(`expected ${n}×${d} = ${n * d} values, got ${data.length}`);
  }
  const scale = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = i * d, end = j + d; j < end; j++) {
      const v = data[j];
      if (!Number.isFinite(v)) {
        throw new EmbeddingsError(`row ${i + 1} holds ${v} at position ${j - i * d + 1}`);
      }
      s += v * v;
    }
    if (s === 0) {
      throw new EmbeddingsError(`row ${i + 1} is all zeros: it has no direction to normalise`);
    }
    scale[i] = 1 / Math.sqrt(s);
  }
  for (let i = 0; i < n; i++) {
    const k = scale[i];
    for (let j = i * d, end = j + d; j < end; j++) data[j] *= k;
  }
  return data;
}

/**
 * Unit-length copies of the first n rows of d floats, leaving `data` as it is. Unlike
 * normalizeRows it never refuses: an all-zero row stays zero (it then scores 0 against
 * everything), which suits measuring directions of codebook rows and vocabularies.
 */
export function normalizedRows(data: Float32Array, n: number, d: number): Float32Array {
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let t = 0; t < d; t++) s += data[o + t] * data[o + t];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let t = 0; t < d; t++) out[o + t] = data[o + t] * inv;
  }
  return out;
}

function checkWriteArgs(
  data: Float32Array,
  n: number,
  d: number,
  labels?: readonly string[],
): void {
  if (data.length !== n * d) {
    throw new EmbeddingsError(`expected ${n}×${d} = ${n * d} values, got ${data.length}`);
  }
  if (labels && labels.length !== n) {
    throw new EmbeddingsError(`${labels.length} labels for ${n} embeddings; they must match`);
  }
}

/**
 * `{"embeddings": [[…], …], "labels": […]}`, one row per line, numbers in their shortest exact
 * float32 form. `readEmbeddings` reads it back unchanged.
 */
export function writeEmbeddingsJson(
  data: Float32Array,
  n: number,
  d: number,
  labels?: readonly string[],
): string {
  checkWriteArgs(data, n, d, labels);
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const cells: string[] = [];
    for (let j = 0; j < d; j++) cells.push(formatFloat32(data[i * d + j]));
    rows.push(`[${cells.join(',')}]`);
  }
  const parts = [`"embeddings":[\n${rows.join(',\n')}\n]`];
  if (labels) parts.push(`"labels":${JSON.stringify(labels)}`);
  return `{${parts.join(',\n')}}\n`;
}

/**
 * CSV (or TSV) with a header row `label,e1,…,ed` (no label column without labels), numbers in
 * their shortest exact float32 form. `readEmbeddings` reads it back unchanged.
 */
export function writeEmbeddingsCsv(
  data: Float32Array,
  n: number,
  d: number,
  labels?: readonly string[],
  options: { readonly delimiter?: ',' | '\t' } = {},
): string {
  checkWriteArgs(data, n, d, labels);
  const header = Array.from({ length: d }, (_, j) => `e${j + 1}`);
  if (labels) header.unshift('label');
  function* rows(): Generator<string[]> {
    for (let i = 0; i < n; i++) {
      const row: string[] = labels ? [labels[i]] : [];
      for (let j = 0; j < d; j++) row.push(formatFloat32(data[i * d + j]));
      yield row;
    }
  }
  return writeCsv(header, rows(), options);
}
