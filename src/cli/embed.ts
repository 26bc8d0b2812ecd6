/**
 * `sdr embed`: CLIP embeddings of texts or image files into a `.npy` (float32, shape (n, d),
 * unit-length rows), with the same engine the page's worker runs (src/embed/clip.ts), here on
 * onnxruntime-node. Images are read with transformers.js's RawImage (sharp, EXIF orientation
 * applied), after the same header checks the page does (format, truncation, pixel bombs).
 *
 * stdout: a JSON summary (rows, dim, model, device, truncated texts, skipped files).
 * stderr: download progress and one line per skipped file.
 */
import { basename } from 'node:path';
import { RawImage } from '@huggingface/transformers';
import { writeNpy } from '../io/npy.ts';
import {
  ClipEmbedder,
  DEFAULT_MODEL_ID,
  EmbedCancelledError,
  formatBytes,
  inspectImage,
  probeDevice,
  type DtypePreference,
  type LoadProgress,
  type PixelImage,
} from '../embed/index.ts';
import { cleanText } from '../io/text.ts';
import { CliError, getString } from './args.ts';
import { checkOutputFile, MAX_LABELS_BYTES, readInputFile, writeOutputFile } from './files.ts';

/** Largest image file read: 256 MiB, above any photo; the header check then limits megapixels. */
const MAX_IMAGE_BYTES = 256 * 2 ** 20;
import { HELP_OPTION, helpText, parseCommandArgs, printJson, type CliIo } from './command.ts';

const SPEC = {
  text: { type: 'multi', help: 'a text to embed (repeat for more)' },
  'text-file': { type: 'string', help: 'a file of texts to embed, one per line (blank lines skipped)' }, // prettier-ignore
  model: { type: 'string', help: `model id (default ${DEFAULT_MODEL_ID})` },
  'model-dir': { type: 'string', help: 'folder holding <model id>/ (default: download from the Hugging Face Hub)' }, // prettier-ignore
  dtype: { type: 'string', help: 'weights: auto, fp32, fp16 or q8 (default auto: q8 for listed models, else fp32)' }, // prettier-ignore
  'batch-size': { type: 'string', help: 'inputs per model call, 1-256 (default 32 for texts, 8 for images)' }, // prettier-ignore
  'max-megapixels': { type: 'string', help: 'refuse larger images, 1-1000 (default 100)' },
  out: { type: 'string', help: 'the .npy file to write (required)' },
  labels: { type: 'string', help: 'also write one label per row (the text, or the file name) to FILE' }, // prettier-ignore
  help: HELP_OPTION,
} as const;

const HELP = helpText(
  'sdr embed <image files…> | --text "a cat" [--text …] | --text-file F  --out emb.npy',
  'Embed texts or images with a CLIP model (transformers.js on onnxruntime-node) into a .npy of\n' +
    'unit-length float32 rows, one per input, in input order. Files that are not readable images\n' +
    'are skipped with a message. A summary (JSON) goes to stdout.',
  SPEC,
);

const DTYPES: readonly DtypePreference[] = ['auto', 'fp32', 'fp16', 'q8'];

function intOption(
  value: string | undefined,
  name: string,
  fallback: number,
  lo: number,
  hi: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < lo || n > hi) {
    throw new CliError(`--${name} must be an integer from ${lo} to ${hi}, got "${value}"`);
  }
  return n;
}

async function readTexts(file: string): Promise<string[]> {
  const text = new TextDecoder().decode(await readInputFile(file, 'text file', MAX_LABELS_BYTES));
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** Progress lines at most every 10% (a 600 MB download is a few dozen lines, not thousands). */
function progressPrinter(io: CliIo): (p: LoadProgress) => void {
  let lastTenth = -1;
  return (p) => {
    if (p.total <= 0) return;
    const tenth = Math.floor((10 * p.loaded) / p.total);
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    io.stderr(`loading ${p.modelId}: ${formatBytes(p.loaded)} of ${formatBytes(p.total)}\n`);
  };
}

interface Skipped {
  readonly file: string;
  readonly reason: string;
}

const defaultIo: CliIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

/** `sdr embed …`; resolves to the exit code (0 done, 130 interrupted with partial output). */
export async function embedCommand(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const args = parseCommandArgs(argv, SPEC, HELP, io);
  if (!args) return 0;
  const out = getString(args, 'out');
  if (!out) throw new CliError('--out FILE.npy is required');
  if (!out.toLowerCase().endsWith('.npy'))
    throw new CliError(`--out must name a .npy file, got ${out}`);
  const dtype = (getString(args, 'dtype') ?? 'auto') as DtypePreference;
  if (!DTYPES.includes(dtype))
    throw new CliError(`--dtype must be one of ${DTYPES.join(', ')}, got "${dtype}"`);
  const textOption = args.options.get('text');
  const texts = Array.isArray(textOption) ? [...textOption] : [];
  const textFile = getString(args, 'text-file');
  const labelsOut = getString(args, 'labels');
  // Every output is checked before the model loads, against every input and each other.
  const inputs = [
    ...(textFile !== undefined ? [{ path: textFile, what: 'text file' }] : []),
    ...args.positionals.map((path) => ({ path, what: 'image file' })),
  ];
  await checkOutputFile(out, '--out', inputs);
  if (labelsOut !== undefined) {
    await checkOutputFile(labelsOut, '--labels', [...inputs, { path: out, what: '--out file' }]);
  }
  if (textFile !== undefined) texts.push(...(await readTexts(textFile)));
  const files = args.positionals;
  if (texts.length > 0 && files.length > 0) {
    throw new CliError('give either image files or texts (--text, --text-file), not both');
  }
  if (texts.length === 0 && files.length === 0) {
    throw new CliError('nothing to embed: give image files, --text "…" or --text-file FILE');
  }
  const batchSize = intOption(
    getString(args, 'batch-size'),
    'batch-size',
    texts.length > 0 ? 32 : 8,
    1,
    256,
  );
  const maxMegapixels = intOption(
    getString(args, 'max-megapixels'),
    'max-megapixels',
    100,
    1,
    1000,
  );

  const engine = new ClipEmbedder(
    {
      modelId: getString(args, 'model') ?? DEFAULT_MODEL_ID,
      dtype,
      device: 'auto',
      modelFolder: getString(args, 'model-dir') ?? '',
    },
    await probeDevice(),
  );
  const signal = io.signal;
  const onProgress = progressPrinter(io);
  const labels: string[] = [];
  const skipped: Skipped[] = [];
  let vectors: Float32Array;
  let truncated: readonly number[] = [];
  let cancelled = false;
  try {
    await engine.load([texts.length > 0 ? 'text' : 'vision'], { onProgress, signal });
    if (texts.length > 0) {
      const r = await engine.embedTexts(texts, { batchSize, signal });
      vectors = r.vectors;
      truncated = r.truncated;
      cancelled = r.cancelled;
      labels.push(...texts.slice(0, r.count));
      for (const i of truncated)
        io.stderr(`text ${i + 1} is longer than 77 tokens: only its start was embedded\n`);
    } else {
      const chunks: Float32Array[] = [];
      for (let start = 0; start < files.length && !cancelled; start += batchSize) {
        const batch: PixelImage[] = [];
        for (const file of files.slice(start, start + batchSize)) {
          const reason = await readImage(file, maxMegapixels, batch);
          if (reason) {
            skipped.push({ file, reason });
            io.stderr(`${file} was skipped: ${reason}\n`);
          } else labels.push(basename(file));
        }
        chunks.push(await engine.embedImages(batch));
        cancelled = signal?.aborted ?? false;
      }
      vectors = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
      let offset = 0;
      for (const c of chunks) {
        vectors.set(c, offset);
        offset += c.length;
      }
    }
  } catch (e) {
    if (e instanceof EmbedCancelledError)
      throw new CliError('interrupted while loading the model', 130);
    throw e;
  }
  const info = engine.info;
  const dim = info?.dim ?? 0;
  const rows = dim > 0 ? vectors.length / dim : 0;
  if (rows === 0) {
    await engine.dispose();
    throw new CliError('no input could be embedded (every file was skipped)');
  }
  await writeOutputFile(out, writeNpy(vectors, [rows, dim]));
  if (labelsOut)
    await writeOutputFile(labelsOut, labels.map((l) => cleanText(l)).join('\n') + '\n');
  printJson(io, {
    out,
    rows,
    dim,
    model: info?.modelId,
    device: info?.choice.device,
    dtype: info?.choice.dtype,
    truncated,
    skipped,
    cancelled,
  });
  await engine.dispose();
  return cancelled ? 130 : 0;
}

/**
 * Read one image into `batch`, or return why it is skipped. Same checks as the page: format,
 * completeness and size from the header before any decoding.
 */
async function readImage(
  file: string,
  maxMegapixels: number,
  batch: PixelImage[],
): Promise<string | null> {
  let bytes: Uint8Array;
  try {
    bytes = await readInputFile(file, 'image', MAX_IMAGE_BYTES);
  } catch (e) {
    return e instanceof CliError ? e.message : `cannot read it (${(e as Error).message})`;
  }
  const blob = new Blob([new Uint8Array(bytes)]);
  const inspection = await inspectImage(blob, maxMegapixels);
  if (!inspection.ok) return inspection.reason;
  try {
    batch.push(await RawImage.fromBlob(blob));
    return null;
  } catch (e) {
    return `it could not be decoded (damaged or unsupported: ${(e as Error).message})`;
  }
}
