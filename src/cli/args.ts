/**
 * A small, strict argument parser for the `sdr` command: `--name value`, `--name=value`,
 * boolean switches, repeatable options and positionals. Unknown options are errors, so a typo
 * never silently falls back to a default.
 */
export class CliError extends Error {
  /** Process exit code: 2 for bad input or usage (the default), 1 for failures while running. */
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export interface OptionSpec {
  /** 'string' takes a value; 'boolean' is a switch; 'multi' takes a value and may repeat. */
  readonly type: 'string' | 'boolean' | 'multi';
  /** One line for --help. */
  readonly help: string;
}

export interface ParsedArgs {
  readonly positionals: string[];
  readonly options: Map<string, string | boolean | string[]>;
}

export function parseArgs(argv: readonly string[], spec: Record<string, OptionSpec>): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | boolean | string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    const opt = spec[name];
    if (!opt) {
      const known = Object.keys(spec)
        .map((k) => `--${k}`)
        .join(', ');
      throw new CliError(`unknown option --${name} (known: ${known || 'none'})`);
    }
    if (opt.type === 'boolean') {
      if (eq >= 0) throw new CliError(`--${name} is a switch and takes no value`);
      options.set(name, true);
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new CliError(`--${name} needs a value`);
      value = argv[++i];
    }
    if (opt.type === 'multi') {
      const prev = options.get(name);
      options.set(name, Array.isArray(prev) ? [...prev, value] : [value]);
    } else {
      if (options.has(name)) throw new CliError(`--${name} was given twice`);
      options.set(name, value);
    }
  }
  return { positionals, options };
}

export function getString(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function getFlag(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}

export function getMulti(args: ParsedArgs, name: string): string[] {
  const v = args.options.get(name);
  return Array.isArray(v) ? v : [];
}

/** An integer option within [min, max], or the default when absent. */
export function getInt(
  args: ParsedArgs,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = getString(args, name);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new CliError(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return v;
}

/** A number option within [min, max], or the default when absent. */
export function getNumber(
  args: ParsedArgs,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = getString(args, name);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < min || v > max) {
    throw new CliError(`--${name} must be a number from ${min} to ${max}, got "${raw}"`);
  }
  return v;
}

/** One of a fixed set of words, or the default when absent. */
export function getChoice<T extends string>(
  args: ParsedArgs,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = getString(args, name);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new CliError(`--${name} must be one of ${choices.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

/** The option list for --help: one `  --name VALUE  help` line per option, aligned. */
export function formatOptions(spec: Record<string, OptionSpec>): string {
  const heads = Object.entries(spec).map(([name, opt]) => [
    `--${name}${opt.type === 'boolean' ? '' : ' VALUE'}`,
    opt.help + (opt.type === 'multi' ? ' (repeatable)' : ''),
  ]);
  const width = Math.max(0, ...heads.map(([h]) => h.length));
  return heads.map(([h, text]) => `  ${h.padEnd(width)}  ${text}`).join('\n');
}
