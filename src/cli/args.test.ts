import { describe, expect, it } from 'vitest';
import { CliError, getChoice, getInt, getMulti, getNumber, getString, parseArgs } from './args.ts';

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
