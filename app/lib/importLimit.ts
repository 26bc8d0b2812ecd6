/**
 * How much the page can hold, and the words for a file that would not fit (issue 11: a clear
 * message, not a crashed tab, at the size where the browser runs out).
 *
 * An import holds the dataset several times over at its peak: the file's bytes, the parsed
 * rows, one copy per row for IndexedDB (and the database's own copy of each while it writes),
 * then the store's flat array, and after it the encode worker's copy and, while training, the
 * train worker's. So the limit is on numbers (rows × dimension) in the page, counted for what is
 * already there plus the file. README "Scale in the page" says how it was measured.
 */
import { NPY_MAX_PREAMBLE_BYTES, readNpyHeader } from '../../src/index.ts';

/**
 * Most embedding numbers (rows × dimension, all items together) the page takes in: 400,000
 * rows of 512 (819 MB as float32). Measured in Chromium 156 on this project's machine (README,
 * "Scale in the page"): 400,000 × 512 imported in 232 s with the JS heap at 1.8 GB of its
 * 4.4 GB limit; 800,000 × 512 peaked at 3.5 GB and, after 400 s of writing, IndexedDB refused
 * the rows as storage full. Above about 1,000,000 rows of 512 the file alone passes the 2 GB
 * Chromium reads into one buffer and the import's peak passes the heap limit: the tab dies.
 */
export const MAX_PAGE_NUMBERS = 400_000 * 512;

/**
 * Largest text embeddings file (CSV, TSV, JSON) read at all, bytes: text takes 8–20 bytes a
 * number and is parsed whole, so this is about what MAX_PAGE_NUMBERS holds as text.
 */
export const MAX_TEXT_FILE_BYTES = 512 * 1024 * 1024;

/** Rows of `dim` numbers the page can still take with `existingRows` rows already in it. */
export function rowsThatFit(dim: number, existingRows: number): number {
  if (!(dim > 0)) return 0;
  return Math.max(0, Math.floor(MAX_PAGE_NUMBERS / dim) - existingRows);
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Why `rows` rows of `dim` numbers from `fileName` cannot join the `existingRows` already in
 * the page, in words (what fits, what to do instead), or null when they fit.
 */
export function importSizeProblem(
  fileName: string,
  rows: number,
  dim: number,
  existingRows: number,
): string | null {
  if (rows * dim + existingRows * dim <= MAX_PAGE_NUMBERS) return null;
  const total = Math.floor(MAX_PAGE_NUMBERS / Math.max(1, dim));
  const room = rowsThatFit(dim, existingRows);
  const here =
    existingRows > 0
      ? ` With the ${count(existingRows)} items already here, ${count(room)} more fit.`
      : '';
  return (
    `${fileName} has ${count(rows)} rows of ${count(dim)} numbers: more than this page can hold ` +
    `(about ${count(total)} rows of ${count(dim)} in all; above that the browser runs out of ` +
    `memory or storage).${here} Import fewer rows (split the file), or use the command line: ` +
    `\`sdr train ${fileName} --out map.sdrmap\` trains on files larger than memory, and the ` +
    `map it writes opens here. Nothing was changed.`
  );
}

/**
 * The rows and dimension a `.npy` file's header declares, read from its first bytes only (a
 * 2 GB file is not read to be refused); null when `file` is not a .npy file or its header
 * cannot be read (the full import then says why).
 */
export async function peekNpyShape(file: Blob): Promise<{ rows: number; dim: number } | null> {
  try {
    const head = new Uint8Array(await file.slice(0, NPY_MAX_PREAMBLE_BYTES).arrayBuffer());
    const { shape } = readNpyHeader(head);
    if (shape.length === 2) return { rows: shape[0], dim: shape[1] };
    if (shape.length === 1) return { rows: 1, dim: shape[0] };
    return null;
  } catch {
    return null;
  }
}
