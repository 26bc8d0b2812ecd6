/**
 * What every `sdr` command shares: where its output goes, and the shape a command has so
 * main.ts can list, document and run it.
 *
 * Output discipline: stdout carries only the machine-readable result (JSON), so
 * `sdr train … | jq .seconds` works; stderr carries progress and messages for a person.
 */
import { formatOptions, getFlag, parseArgs, type OptionSpec, type ParsedArgs } from './args.ts';

export interface CliIo {
  /** Machine-readable output; callers pass whole lines, newline included. */
  readonly stdout: (s: string) => void;
  /** Progress and messages for a person; whole lines, newline included. */
  readonly stderr: (s: string) => void;
  /** Aborted on Ctrl-C: long commands stop at the next safe point and keep what is done. */
  readonly signal?: AbortSignal;
}

export interface Command {
  /** The word after `sdr`. */
  readonly name: string;
  /** One line for `sdr --help`. */
  readonly summary: string;
  /** Run with the arguments after the command word; resolves to the exit code. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** The `--help` switch every command accepts. */
export const HELP_OPTION: OptionSpec = { type: 'boolean', help: 'show this help and exit' };

/** Full help text: usage line(s), a short description, and the option list. */
export function helpText(usage: string, about: string, spec: Record<string, OptionSpec>): string {
  return `usage: ${usage}\n\n${about}\n\noptions:\n${formatOptions(spec)}\n`;
}

/**
 * Parse `argv` against `spec` (which should include `help`). Returns null after printing the
 * help to stdout when --help was given, so a command can `if (!args) return 0`.
 */
export function parseCommandArgs(
  argv: readonly string[],
  spec: Record<string, OptionSpec>,
  help: string,
  io: CliIo,
): ParsedArgs | null {
  // --help wins over anything else on the line, even an unknown option after it.
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(help);
    return null;
  }
  const args = parseArgs(argv, spec);
  if (getFlag(args, 'help')) {
    io.stdout(help);
    return null;
  }
  return args;
}

/** Print `value` as pretty JSON on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Round for reports: figures people read, not bit patterns. */
export function round(x: number, digits = 4): number {
  return Number.isFinite(x) ? Number(x.toFixed(digits)) : x;
}
