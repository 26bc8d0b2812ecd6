/**
 * `sdr encode` on `.npy` files larger than memory (with --stream, or by itself above
 * STREAM_THRESHOLD_BYTES, trainStream.ts): rows are read, encoded, scored and written one chunk
 * at a time, so memory stays at a chunk's worth whatever the row count.
 *
 * Output formats: .jsonl/.ndjson (also what stdout gets without --out), .csv/.tsv (one header
 * line) and .npy (the header with the full shape first, then each chunk's indices). A whole
 * .json document is refused: use .jsonl. The file is written beside its final name and renamed
 * when complete, so Ctrl-C or an error never leaves half a file under the real name.
 */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { readLabels, type MatmulBackend } from '../index.ts';
import { npyHeaderBytes } from '../io/npy.ts';
import { openNpyRows, type NpyRowReader } from '../io/npyStream.ts';
import { CliError, getFlag, type ParsedArgs } from './args.ts';
import { printJson, round, type CliIo } from './command.ts';
import { formatRows, type Format } from './encodeFormat.ts';
import { checkSameDimension, loadMap, readInputFile } from './files.ts';
import { createKernelBackend, type Kernel } from './kernel.ts';
import { mapK, scoreRows } from './scoring.ts';
import { getChunkRows } from './trainStream.ts';

export interface StreamEncodeRequest {
  readonly mapPath: string;
  readonly embPath: string;
  readonly labelsPath: string | undefined;
  /** Output file; undefined writes JSON Lines to stdout. */
  readonly out: string | undefined;
  readonly format: Format;
  readonly kernel: Kernel;
  readonly requested: number | undefined;
}

/** Where chunks go: a temporary file renamed at the end, or stdout. */
interface Sink {
  write(content: string | Uint8Array): void;
  /** Rename into place; returns the bytes written. */
  finish(): number;
  /** Remove the partial file. */
  abandon(): void;
}

function fileSink(path: string): Sink {
  const full = resolve(path);
  const tmp = resolve(dirname(full), `.${basename(full)}.${process.pid}.tmp`);
  let fd: number | null = openSync(tmp, 'w');
  let bytes = 0;
  const encoder = new TextEncoder();
  return {
    write(content) {
      const data = typeof content === 'string' ? encoder.encode(content) : content;
      let done = 0;
      while (done < data.length) done += writeSync(fd as number, data, done, data.length - done);
      bytes += data.length;
    },
    finish() {
      closeSync(fd as number);
      fd = null;
      renameSync(tmp, full);
      return bytes;
    },
    abandon() {
      if (fd !== null) closeSync(fd);
      fd = null;
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    },
  };
}

function stdoutSink(io: CliIo): Sink {
  let bytes = 0;
  return {
    write(content) {
      const text = typeof content === 'string' ? content : new TextDecoder().decode(content);
      bytes += text.length;
      io.stdout(text);
    },
    finish: () => bytes,
    abandon: () => undefined,
  };
}

/** Encode `embPath` chunk by chunk on the map; the exit code. */
export async function encodeStreamed(
  req: StreamEncodeRequest,
  args: ParsedArgs,
  io: CliIo,
): Promise<number> {
  const format: Format = req.out === undefined ? 'jsonl' : req.format;
  if (format === 'json') {
    throw new CliError('a streamed encode writes .jsonl, .ndjson, .csv, .tsv or .npy, not one .json document'); // prettier-ignore
  }
  const quiet = getFlag(args, 'quiet');
  const log = quiet ? () => undefined : io.stderr;
  const { map } = await loadMap(req.mapPath);
  let reader: NpyRowReader;
  try {
    reader = openNpyRows(req.embPath);
  } catch (e) {
    if (e instanceof Error && e.name === 'NpyError') throw new CliError(`${req.embPath}: ${e.message}`); // prettier-ignore
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new CliError(`embeddings file not found: ${req.embPath}`);
    throw e;
  }
  let backend: MatmulBackend | null = null;
  let sink: Sink | null = null;
  try {
    const { n, d } = reader;
    checkSameDimension(map, { d });
    const k = mapK(map, req.requested);
    let labels: string[] | undefined;
    if (req.labelsPath !== undefined) {
      labels = readLabels(new TextDecoder().decode(await readInputFile(req.labelsPath, 'labels file'))); // prettier-ignore
      if (labels.length !== n) {
        throw new CliError(`${req.labelsPath} has ${labels.length} labels but ${req.embPath} has ${n} rows; they must match one to one`); // prettier-ignore
      }
    }
    if (!map.calibration) log('note: the map has no calibration, so novelty is null\n');
    backend = await createKernelBackend(req.kernel);
    sink = req.out === undefined ? stdoutSink(io) : fileSink(req.out);
    if (format === 'npy') sink.write(npyHeaderBytes([n, k], 'f4'));
    const chunk = getChunkRows(args, d);
    const buf = new Float32Array(chunk * d);
    const t0 = performance.now();
    let lastLine = t0;
    let noveltySum = 0;
    let noveltyCount = 0;
    for (let start = 0; start < n; start += chunk) {
      if (io.signal?.aborted) {
        sink.abandon();
        log(`stopped after ${start.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} rows: nothing written\n`); // prettier-ignore
        return 130;
      }
      const count = Math.min(chunk, n - start);
      reader.read(start, count, buf);
      const rows = buf.subarray(0, count * d);
      try {
        normalizeChunk(rows, count, d, start, req.embPath);
      } catch (e) {
        sink.abandon();
        throw e;
      }
      const scored = await scoreRows(backend, map, rows, count, k);
      if (scored.novelty) for (const v of scored.novelty) noveltySum += v;
      noveltyCount += scored.novelty ? count : 0;
      if (format === 'npy') {
        const values = Float32Array.from(scored.active);
        sink.write(new Uint8Array(values.buffer));
      } else {
        sink.write(formatRows(format, map, scored, labels?.slice(start, start + count), { first: start, header: start === 0 })); // prettier-ignore
      }
      const now = performance.now();
      if (now - lastLine >= 2000 && start + count < n) {
        lastLine = now;
        const rate = (start + count) / ((now - t0) / 1000);
        log(`  ${(start + count).toLocaleString('en-US')}/${n.toLocaleString('en-US')} rows  ${Math.round(rate).toLocaleString('en-US')} rows/s  ~${Math.round((n - start - count) / rate)} s left\n`); // prettier-ignore
      }
    }
    const bytes = sink.finish();
    sink = null;
    const seconds = (performance.now() - t0) / 1000;
    if (req.out !== undefined) {
      log(`wrote ${n} SDRs of ${k} units to ${req.out} (streamed, ${Math.round(n / seconds).toLocaleString('en-US')} rows/s)\n`); // prettier-ignore
      printJson(io, {
        out: req.out,
        format,
        rows: n,
        k,
        bytes,
        streamed: true,
        meanNovelty: noveltyCount > 0 ? round(noveltySum / noveltyCount, 2) : null,
      });
    }
    return 0;
  } catch (e) {
    sink?.abandon();
    throw e;
  } finally {
    reader.close();
    await backend?.dispose();
  }
}

/** Scale the chunk's rows to unit length, naming a bad row by its number in the file. */
function normalizeChunk(rows: Float32Array, count: number, d: number, start: number, path: string) {
  for (let i = 0; i < count; i++) {
    let s = 0;
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const v = rows[o + j];
      if (!Number.isFinite(v)) throw new CliError(`${path}: row ${start + i + 1} holds ${v} at position ${j + 1}`); // prettier-ignore
      s += v * v;
    }
    if (s === 0) throw new CliError(`${path}: row ${start + i + 1} is all zeros: it has no direction to normalise`); // prettier-ignore
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) rows[o + j] *= inv;
  }
}
