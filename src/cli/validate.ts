/**
 * Checks `sdr train` runs before any training: everything the map file will check when it is
 * written (src/io/mapFile.ts) is checked here first, so a bad name, label, dimension or output
 * path is refused in milliseconds instead of after minutes of training.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { DEFAULT_MAP_FILE_LIMITS, MAX_MAP_DIM } from '../index.ts';
import { BIDI_CONTROLS, cleanText, plainTextProblem } from '../io/text.ts';
import { CliError, getString, type ParsedArgs } from './args.ts';
import { checkOutputFile, type NamedInput } from './files.ts';

/** Longest map name and model id the map file accepts, in UTF-16 units. */
const MAX_MAP_NAME = 200;

/**
 * `value` of `option` as the map file will store it, or a CliError: 1 to `max` characters, no
 * control characters, no broken UTF-16, and no bidirectional overrides (a name typed on
 * purpose is refused rather than silently changed).
 */
function checkMapText(value: string, option: string, max = MAX_MAP_NAME): string {
  if (value.trim() === '' || value.length > max) {
    throw new CliError(`${option} must be 1 to ${max} characters, got ${value.length}`);
  }
  const problem = plainTextProblem(value);
  if (problem) throw new CliError(`${option} ${problem}`);
  if (new RegExp(BIDI_CONTROLS.source).test(value)) {
    throw new CliError(`${option} holds a bidirectional formatting character (such as U+202E)`);
  }
  return value;
}

/**
 * The map's name: --name, checked, or else the embeddings file's name without its extension,
 * cleaned (a file name may hold any character) and capped at 200 characters.
 */
export function mapName(args: ParsedArgs, path: string): string {
  const given = getString(args, 'name');
  if (given !== undefined) return checkMapText(given, '--name');
  const stem = cleanText(basename(path).replace(/\.[^.]+$/, ''), { maxLength: MAX_MAP_NAME });
  return stem.trim() === '' ? 'map' : stem;
}

/** --model, checked like a name (default: none). */
export function modelId(args: ParsedArgs): string | null {
  const given = getString(args, 'model');
  return given === undefined ? null : checkMapText(given, '--model');
}

/**
 * Everything about a train run that can be checked before its inputs are read: --out (see
 * checkOutputFile, never one of the inputs), --name and --model.
 */
export async function preflightTrain(
  args: ParsedArgs,
  out: string,
  embeddingsPath: string,
): Promise<void> {
  const labelsPath = getString(args, 'labels');
  const inputs: NamedInput[] = [{ path: embeddingsPath, what: 'embeddings file' }];
  if (labelsPath !== undefined) inputs.push({ path: labelsPath, what: 'labels file' });
  await checkOutputFile(out, '--out', inputs);
  mapName(args, embeddingsPath);
  modelId(args);
}

/**
 * Refuse read embeddings the map file could not store: a dimension over MAX_MAP_DIM, or a label
 * the file refuses (labels are cleaned on reading, so this only guards that promise).
 */
export function checkTrainInput(input: {
  readonly d: number;
  readonly labels?: readonly string[];
}): void {
  if (input.d > MAX_MAP_DIM) {
    throw new CliError(
      `the embeddings have dimension ${input.d.toLocaleString('en-US')}; a map holds at most ${MAX_MAP_DIM.toLocaleString('en-US')}`,
    );
  }
  const max = DEFAULT_MAP_FILE_LIMITS.maxLabelLength;
  input.labels?.forEach((label, i) => {
    const problem = label.length > max ? `is over ${max} characters` : plainTextProblem(label);
    if (problem) throw new CliError(`label ${i + 1} ${problem}`);
  });
}

/**
 * `requested` worker threads capped at the machine's cores: more threads than cores only add
 * memory (a copy of the data each) and switching, never speed. Says so on `log` when capped.
 */
export function capWorkers(
  requested: number,
  log: (line: string) => void,
  cores = availableParallelism(),
): number {
  if (requested <= cores) return requested;
  log(`note: --workers ${requested} is more than this machine's ${cores} cores; using ${cores}\n`);
  return cores;
}
