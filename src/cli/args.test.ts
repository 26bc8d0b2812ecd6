import { describe, expect, it } from 'vitest';
import {
  CliError,
  formatOptions,
  getChoice,
  getInt,
  getMulti,
  getNumber,
  getString,
  parseArgs,
} from './args.ts';

const spec = {
  grid: { type: 'string', help: '' },
  epochs: { type: 'string', help: '' },
  verbose: { type: 'boolean', help: '' },
  text: { type: 'multi', help: '' },
} as const;

describe('parseArgs', () => {
  it('reads values, switches, repeats and positionals', () => {
    const a = parseArgs(
      ['emb.npy', '--grid', '8x8', '--epochs=3', '--verbose', '--text', 'a', '--text', 'b'],
      spec,
    );
    expect(a.positionals).toEqual(['emb.npy']);
    expect(getString(a, 'grid')).toBe('8x8');
    expect(getInt(a, 'epochs', 10, 1, 100)).toBe(3);
    expect(a.options.get('verbose')).toBe(true);
    expect(getMulti(a, 'text')).toEqual(['a', 'b']);
  });
  it('refuses unknown options, missing values and bad numbers with exit code 2', () => {
    expect(() => parseArgs(['--grdi', '8x8'], spec)).toThrow(/unknown option --grdi/);
    expect(() => parseArgs(['--grid'], spec)).toThrow(/needs a value/);
    const a = parseArgs(['--epochs', '1.5'], spec);
    expect(() => getInt(a, 'epochs', 10, 1, 100)).toThrow(/integer from 1 to 100/);
    const bad = (() => {
      try {
        getNumber(parseArgs(['--epochs', 'NaN'], spec), 'epochs', 1, 0, 1);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(bad).toBeInstanceOf(CliError);
    expect((bad as CliError).exitCode).toBe(2);
    expect(() => getChoice(parseArgs(['--grid', 'x'], spec), 'grid', ['a', 'b'], 'a')).toThrow(
      /one of a, b/,
    );
  });
  it('takes everything after -- as positionals', () => {
    expect(parseArgs(['--', '--grid'], spec).positionals).toEqual(['--grid']);
  });
});

describe('formatOptions', () => {
  it('lists every option once, marks the ones that take a value, and aligns the help', () => {
    const text = formatOptions({
      grid: { type: 'string', help: 'grid size' },
      quiet: { type: 'boolean', help: 'no progress' },
      text: { type: 'multi', help: 'a text' },
    });
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ {2}--grid VALUE +grid size$/);
    expect(lines[1]).toMatch(/^ {2}--quiet +no progress$/);
    expect(lines[2]).toMatch(/a text \(repeatable\)$/);
    expect(lines[0].indexOf('grid size')).toBe(lines[1].indexOf('no progress'));
  });
});
