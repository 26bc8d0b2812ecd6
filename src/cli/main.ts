/**
 * The `sdr` command line: `sdr <command> [arguments]`.
 *
 * `runCli` is the whole program as a function (tests call it in-process); the bottom of the file
 * is the process entry used by `npm run sdr` and bin/sdr.mjs. Every failure ends as ONE line on
 * stderr, `sdr: <message>`: exit code 2 for bad input or usage (the person can fix it), 1 for
 * anything unexpected (a bug: set SDR_DEBUG=1 to see the stack).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CliError } from './args.ts';
import { benchCommand } from './bench.ts';
import { claimsCommand } from './claims.ts';
import type { CliIo, Command } from './command.ts';
import { encodeCommand } from './encode.ts';
import { evalCommand } from './eval.ts';
import { infoCommand } from './info.ts';
import { keptWork } from './interrupt.ts';
import { searchCommand } from './search.ts';
import { trainCommand } from './train.ts';
import { errorMessage } from '../util/errorMessage.ts';

export type { CliIo } from './command.ts';

/**
 * `sdr embed` (src/cli/embed.ts, CLIP via transformers.js) is loaded only when asked for: the
 * model runtime takes a second or more to import, which no other command should pay.
 */
const embedCliCommand: Command = {
  name: 'embed',
  summary: 'embed texts or images with CLIP into an embeddings file',
  async run(argv, io) {
    const { embedCommand } = await import('./embed.ts');
    return embedCommand(argv, io);
  },
};

/** Every command, in the order `sdr --help` lists them. */
export const COMMANDS: readonly Command[] = [
  trainCommand,
  encodeCommand,
  evalCommand,
  infoCommand,
  searchCommand,
  claimsCommand,
  embedCliCommand,
  benchCommand,
];

/**
 * Error classes whose message is written for a person and means "your input is wrong": the
 * engine's readers and validators (by name, so this file need not import every room).
 */
const INPUT_ERRORS = new Set([
  'CliError',
  'FileFormatError',
  'NpyError',
  'EmbeddingsError',
  'MapFileError',
  'TrainingInputError',
  'EncodeError',
  'NoveltyError',
  'EmbedInputError',
  'ModelLoadError',
]);

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'usage: sdr <command> [arguments]   (sdr <command> --help for its options)',
    '',
    'commands:',
    ...lines,
    '',
    'Results are JSON on stdout; progress and messages go to stderr.',
    'Exit codes: 0 done, 2 bad input or usage, 1 unexpected failure (SDR_DEBUG=1 shows the stack).',
    '',
  ].join('\n');
}

/** One line, even if a message carries newlines. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Run `sdr` with `argv` (the arguments after `sdr`); resolves to the process exit code.
 * `commands` defaults to COMMANDS (bench/run.ts passes a bench with the browser section).
 */
export async function runCli(
  argv: string[],
  io: CliIo,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? rest[0] : undefined;
      const command = commands.find((c) => c.name === topic);
      if (command) return await command.run(['--help'], io);
      if (topic !== undefined) throw new CliError(`unknown command "${topic}"`);
      (name === undefined ? io.stderr : io.stdout)(usage());
      return name === undefined ? 2 : 0;
    }
    if (name === '--version') {
      // From source this file is src/cli/main.ts; built, dist-cli/src/cli/main.js: one level deeper.
      const up = import.meta.url.endsWith('.ts') ? '../../' : '../../../';
      const pkg = JSON.parse(readFileSync(new URL(`${up}package.json`, import.meta.url), 'utf8')) as { version: string }; // prettier-ignore
      io.stdout(`${pkg.version}\n`);
      return 0;
    }
    const command = commands.find((c) => c.name === name);
    if (!command) {
      throw new CliError(
        `unknown command "${name}" (commands: ${commands.map((c) => c.name).join(', ')})`,
      );
    }
    return await command.run(rest, io);
  } catch (e) {
    return reportError(e, io);
  }
}

/** Write `e` as one `sdr: …` line (stack only with SDR_DEBUG=1) and return the exit code. */
export function reportError(e: unknown, io: CliIo): number {
  const debug = process.env.SDR_DEBUG === '1';
  if (e instanceof Error && INPUT_ERRORS.has(e.name)) {
    io.stderr(`sdr: ${oneLine(e.message)}\n`);
    if (debug && e.stack) io.stderr(`${e.stack}\n`);
    return e instanceof CliError ? e.exitCode : 2;
  }
  const message = errorMessage(e);
  io.stderr(`sdr: unexpected error: ${oneLine(message) || 'no message'}`);
  io.stderr(debug ? `\n${e instanceof Error ? e.stack : ''}\n` : ' (set SDR_DEBUG=1 for details)\n'); // prettier-ignore
  return 1;
}

/**
 * The process entry (here when run as `tsx src/cli/main.ts`, and from bin/sdr.mjs): real
 * stdout/stderr, exit code on process.exitCode, Ctrl-C stops long commands at a safe point.
 */
export async function runMain(
  argv: string[],
  commands: readonly Command[] = COMMANDS,
): Promise<void> {
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) {
      const kept = keptWork();
      // A second Ctrl-C quits at once, unless finished work is being saved: that it waits for.
      if (kept === null) process.exit(130);
      process.stderr.write(`sdr: saving ${kept} first; it exits when saved\n`);
      return;
    }
    const kept = keptWork();
    process.stderr.write(
      `sdr: stopping after the current step (${kept === null ? 'Ctrl-C again to quit now' : `${kept} is kept`})\n`,
    );
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  // A closed pipe (`sdr encode … | head`) is not an error worth a message.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const code = await runCli(
    argv,
    {
      stdout: (s) => void process.stdout.write(s),
      stderr: (s) => void process.stderr.write(s),
      signal: controller.signal,
    },
    commands,
  );
  process.off('SIGINT', onInterrupt);
  process.exitCode = code;
}

function isEntry(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntry()) void runMain(process.argv.slice(2));
