/**
 * Files in and out for the `sdr` command: every way a path can fail becomes one CliError line
 * that names the path ("embeddings file not found: x.npy"), never an ENOENT stack.
 */
import { constants, type Stats } from 'node:fs';
import {
  access,
  open,
  realpath,
  rename,
  stat,
  unlink,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import {
  DEFAULT_MAP_FILE_LIMITS,
  decodeMapFile,
  normalizeRows,
  readEmbeddings,
  readLabels,
  type SdrMap,
} from '../index.ts';
import { CliError, type ParsedArgs } from './args.ts';
import { errorMessage } from '../util/errorMessage.ts';

interface NodeError {
  readonly code?: string;
}

function codeOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null ? (e as NodeError).code : undefined;
}

/** Largest embeddings or labels file read by default: 1 GiB (a 500,000 × 512 float32 .npy is 1 GB). */
const MAX_INPUT_BYTES = 2 ** 30;
/** Bytes read per call: a bounded chunk, so a file cannot make one read call take all memory. */
const CHUNK_BYTES = 1 << 20;

/** What a non-regular file is, for the refusal ("a FIFO (named pipe)"). */
function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The message a failed open/read/stat of `path` gives. */
function readFailure(e: unknown, path: string, what: string): CliError {
  if (e instanceof CliError) return e;
  const code = codeOf(e);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new CliError(`${what} not found: ${path}`);
  if (code === 'EACCES' || code === 'EPERM') {
    return new CliError(`cannot read ${what} ${path}: permission denied`);
  }
  return new CliError(`cannot read ${what} ${path}: ${errorMessage(e)}`);
}

/**
 * The bytes of `path`; `what` names the file in messages ("embeddings file", "map").
 *
 * Only a regular file of at most `maxBytes` (default MAX_INPUT_BYTES) is read, in bounded
 * chunks. The file is opened without blocking and checked with fstat before any read, so a
 * FIFO with no writer, a device such as /dev/zero, a socket or a folder is refused at once
 * rather than hanging or filling memory; a file that grows or shrinks while it is read is
 * refused too (its bytes would be a mix of two versions).
 */
export async function readInputFile(
  path: string,
  what: string,
  maxBytes = MAX_INPUT_BYTES,
): Promise<Uint8Array> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw readFailure(e, path, what);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new CliError(
        `${what} ${path} is ${kindOf(info)}, not a file${info.isDirectory() ? '' : ': give a regular file'}`,
      );
    }
    if (info.size > maxBytes) {
      throw new CliError(
        `${what} ${path} is ${formatSize(info.size)}, over the ${formatSize(maxBytes)} limit`,
      );
    }
    const size = info.size;
    // One byte of room past the size fstat gave, to notice a file still being written.
    const bytes = new Uint8Array(size + 1);
    let offset = 0;
    for (;;) {
      const want = Math.min(CHUNK_BYTES, bytes.length - offset);
      const { bytesRead } = await handle.read(bytes, offset, want, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      if (offset > size) {
        throw new CliError(`${what} ${path} grew while it was read: wait until it is written whole`); // prettier-ignore
      }
    }
    if (offset < size) {
      throw new CliError(`${what} ${path} shrank while it was read: wait until it is written whole`); // prettier-ignore
    }
    return bytes.subarray(0, size);
  } catch (e) {
    throw readFailure(e, path, what);
  } finally {
    await handle.close();
  }
}

/** "1.5 GiB", "12 MiB", "900 bytes". */
function formatSize(bytes: number): string {
  if (bytes >= 2 ** 30) return `${Math.round((bytes / 2 ** 30) * 10) / 10} GiB`;
  if (bytes >= 2 ** 20) return `${Math.round(bytes / 2 ** 20)} MiB`;
  return `${bytes.toLocaleString('en-US')} bytes`;
}

/** A file a command reads, and what it is called in messages ("embeddings file"). */
export interface NamedInput {
  readonly path: string;
  readonly what: string;
}

/** Device and inode of `path` (links followed), or null when it does not exist. */
async function identity(path: string): Promise<{ dev: number; ino: number } | null> {
  try {
    const info = await stat(path);
    return { dev: info.dev, ino: info.ino };
  } catch {
    return null;
  }
}

/** `path` with every symbolic link in its folder resolved (the file itself need not exist). */
async function realPathOf(path: string): Promise<string> {
  const full = resolve(path);
  try {
    return await realpath(full);
  } catch {
    try {
      return resolve(await realpath(dirname(full)), basename(full));
    } catch {
      return full;
    }
  }
}

/**
 * Refuse an output that is the same file as one of `inputs`: the same real path (symbolic
 * links resolved) or the same device and inode (hard links). Writing it would replace what
 * the command is reading, so `sdr train x.npy --out x.npy` must never run.
 */
async function checkNotAnInput(
  out: string,
  outWhat: string,
  inputs: readonly NamedInput[],
): Promise<void> {
  const outReal = await realPathOf(out);
  const outId = await identity(out);
  for (const input of inputs) {
    let same = (await realPathOf(input.path)) === outReal;
    if (!same && outId !== null) {
      const inId = await identity(input.path);
      same = inId !== null && inId.dev === outId.dev && inId.ino === outId.ino;
    }
    if (same) {
      throw new CliError(
        `${outWhat} ${out} is the ${input.what} ${input.path}: writing it would destroy the input; choose another file`,
      );
    }
  }
}

/** Labels files above this are refused: 256 MiB of text is far past any label list, and near what one string holds. */
export const MAX_LABELS_BYTES = 256 * 2 ** 20;

/** Longest file name (one path component) file systems accept, in bytes. */
const MAX_NAME_BYTES = 255;

export interface LoadedEmbeddings {
  /** n·d rows, scaled to unit length. */
  readonly data: Float32Array;
  readonly n: number;
  readonly d: number;
  /** One label per row: from the labels file if given, else from the embeddings file, if any. */
  readonly labels?: string[];
}

/**
 * Read an embeddings file (.npy, CSV/TSV, JSON: see src/io readEmbeddings), optionally a labels
 * file (one per line, or a CSV column), and scale every row to unit length.
 */
export async function loadEmbeddings(path: string, labelsPath?: string): Promise<LoadedEmbeddings> {
  const bytes = await readInputFile(path, 'embeddings file');
  const labels =
    labelsPath === undefined
      ? undefined
      : { path: labelsPath, bytes: await readInputFile(labelsPath, 'labels file', MAX_LABELS_BYTES) }; // prettier-ignore
  return embeddingsFromBytes(bytes, path, labels);
}

/**
 * loadEmbeddings on bytes already read: the embeddings file's `bytes` (named `path`) and, when
 * given, a labels file's. Every problem is an error the command reports as one line.
 */
export function embeddingsFromBytes(
  bytes: Uint8Array,
  path: string,
  labelsFile?: { readonly path: string; readonly bytes: Uint8Array },
): LoadedEmbeddings {
  let parsed: ReturnType<typeof readEmbeddings>;
  try {
    parsed = readEmbeddings(bytes, path);
  } catch (e) {
    // The .npy reader speaks of the array, not the file: say which file.
    if (e instanceof Error && e.name === 'NpyError' && !e.message.includes(path)) {
      throw new CliError(`${path}: ${e.message}`);
    }
    throw e;
  }
  const { data, n, d, labels: own } = parsed;
  normalizeRows(data, n, d);
  let labels = own;
  if (labelsFile !== undefined) {
    labels = readLabels(new TextDecoder().decode(labelsFile.bytes));
    if (labels.length !== n) {
      throw new CliError(
        `${labelsFile.path} has ${labels.length} labels but ${path} has ${n} rows; they must match one to one`,
      );
    }
  }
  return labels ? { data, n, d, labels } : { data, n, d };
}

/** Read and check a `.sdrmap` file. */
export async function loadMap(path: string): Promise<{ map: SdrMap; bytes: number }> {
  const bytes = await readInputFile(path, 'map', DEFAULT_MAP_FILE_LIMITS.maxBytes);
  // decodeMapFile's MapFileError says what is wrong; prefix the file so several maps are told apart.
  try {
    return { map: decodeMapFile(bytes), bytes: bytes.length };
  } catch (e) {
    if (e instanceof Error && e.name === 'MapFileError') {
      throw new CliError(`${path}: ${e.message}`);
    }
    throw e;
  }
}

/** Refuse embeddings that do not live in the map's space (by dimension, all we can check). */
export function checkSameDimension(map: SdrMap, embeddings: { readonly d: number }): void {
  if (map.som.dim !== embeddings.d) {
    throw new CliError(
      `map has dimension ${map.som.dim} but the embeddings have ${embeddings.d}: they come from different models`,
    );
  }
}

/**
 * The two positionals of `sdr <command> <map> <embeddings>`, or a CliError naming `command` when
 * there are not exactly two.
 */
export function mapAndEmbeddingsPaths(args: ParsedArgs, command: string): [string, string] {
  if (args.positionals.length !== 2) {
    throw new CliError(
      `${command} takes a map and an embeddings file, got ${args.positionals.length} arguments`,
    );
  }
  const [mapPath, embeddingsPath] = args.positionals;
  return [mapPath, embeddingsPath];
}

/**
 * Read a map and an embeddings file to encode on it (labels from `labelsPath` when given, see
 * loadEmbeddings), refusing embeddings of another dimension than the map's.
 */
export async function loadMapAndEmbeddings(
  mapPath: string,
  embeddingsPath: string,
  labelsPath?: string,
): Promise<{ map: SdrMap; embeddings: LoadedEmbeddings }> {
  const { map } = await loadMap(mapPath);
  const embeddings = await loadEmbeddings(embeddingsPath, labelsPath);
  checkSameDimension(map, embeddings);
  return { map, embeddings };
}

/** Refuse early (before minutes of work) an output path whose folder does not exist. */
async function checkOutputFolder(path: string): Promise<void> {
  const dir = dirname(resolve(path));
  let isDir = false;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch {
    throw new CliError(`cannot write ${path}: the folder ${dir} does not exist`);
  }
  if (!isDir) throw new CliError(`cannot write ${path}: ${dir} is not a folder`);
}

/**
 * Refuse, before any work, an output `path` (named `option` in messages, e.g. "--out") that
 * could not be written at the end: empty, a name over 255 bytes, in a missing or read-only
 * folder, a folder itself, or an existing file that is not a regular one (a device, a FIFO).
 * With `inputs`, also one that is the same file as an input (see checkNotAnInput).
 */
export async function checkOutputFile(
  path: string,
  option: string,
  inputs: readonly NamedInput[] = [],
): Promise<void> {
  if (path.trim() === '') throw new CliError(`${option} needs a file name, got an empty one`);
  const name = basename(resolve(path));
  if (new TextEncoder().encode(name).length > MAX_NAME_BYTES) {
    throw new CliError(`cannot write ${path}: the file name is over ${MAX_NAME_BYTES} bytes`);
  }
  await checkOutputFolder(path);
  try {
    await access(dirname(resolve(path)), constants.W_OK);
  } catch {
    throw new CliError(
      `cannot write ${path}: the folder ${dirname(resolve(path))} is not writable`,
    );
  }
  let existing: Stats | null = null;
  try {
    existing = await stat(path);
  } catch {
    existing = null;
  }
  if (existing?.isDirectory()) throw new CliError(`cannot write ${path}: it is a folder`);
  if (existing && !existing.isFile()) {
    throw new CliError(`cannot write ${path}: it is ${kindOf(existing)}, not a regular file`);
  }
  await checkNotAnInput(path, option, inputs);
}

/**
 * Write `bytes` to `path` whole or not at all: into a temporary file beside it, then renamed,
 * so an interrupted or failed write never leaves half a file under the real name. The
 * temporary name is short (`.sdr-<pid>-<random>.tmp`) so any name that fits fits it too.
 */
export async function writeOutputFile(path: string, bytes: Uint8Array | string): Promise<number> {
  const full = resolve(path);
  const dir = dirname(full);
  await checkOutputFolder(path);
  const tag = Math.floor(Math.random() * 36 ** 6).toString(36);
  const tmp = resolve(dir, `.sdr-${process.pid}-${tag}.tmp`);
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  try {
    await writeFile(tmp, data, { flag: 'wx' });
    await rename(tmp, full);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    const code = codeOf(e);
    if (code === 'EISDIR') throw new CliError(`cannot write ${path}: it is a folder`);
    if (code === 'EACCES' || code === 'EPERM') {
      throw new CliError(`cannot write ${path}: permission denied`);
    }
    throw new CliError(`cannot write ${path}: ${errorMessage(e)}`);
  }
  return data.length;
}

/** Lower-case extension of a path without the dot ('' if none). */
export function extensionOf(path: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(basename(path));
  return m ? m[1].toLowerCase() : '';
}
