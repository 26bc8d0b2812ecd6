/**
 * Files in and out for the `sdr` command: every way a path can fail becomes one CliError line
 * that names the path ("embeddings file not found: x.npy"), never an ENOENT stack.
 */
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { decodeMapFile, normalizeRows, readEmbeddings, readLabels, type SdrMap } from '../index.ts';
import { CliError, type ParsedArgs } from './args.ts';
import { errorMessage } from '../util/errorMessage.ts';

interface NodeError {
  readonly code?: string;
}

function codeOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null ? (e as NodeError).code : undefined;
}

/** The bytes of `path`; `what` names the file in messages ("embeddings file", "map"). */
export async function readInputFile(path: string, what: string): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliError(`${what} ${path} is a folder, not a file`);
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = codeOf(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(`${what} not found: ${path}`);
    if (code === 'EACCES' || code === 'EPERM') {
      throw new CliError(`cannot read ${what} ${path}: permission denied`);
    }
    throw new CliError(`cannot read ${what} ${path}: ${errorMessage(e)}`);
  }
}

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
  if (labelsPath !== undefined) {
    const text = new TextDecoder().decode(await readInputFile(labelsPath, 'labels file'));
    labels = readLabels(text);
    if (labels.length !== n) {
      throw new CliError(
        `${labelsPath} has ${labels.length} labels but ${path} has ${n} rows; they must match one to one`,
      );
    }
  }
  return labels ? { data, n, d, labels } : { data, n, d };
}

/** Read and check a `.sdrmap` file. */
export async function loadMap(path: string): Promise<{ map: SdrMap; bytes: number }> {
  const bytes = await readInputFile(path, 'map');
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
export async function checkOutputFolder(path: string): Promise<void> {
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
 * Write `bytes` to `path` whole or not at all: into a temporary file beside it, then renamed,
 * so an interrupted or failed write never leaves half a file under the real name.
 */
export async function writeOutputFile(path: string, bytes: Uint8Array | string): Promise<number> {
  const full = resolve(path);
  const dir = dirname(full);
  await checkOutputFolder(path);
  const tmp = resolve(dir, `.${basename(full)}.${process.pid}.tmp`);
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  try {
    await writeFile(tmp, data);
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
