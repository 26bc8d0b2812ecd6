import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseDelimited, writeCsv } from './csv.ts';
import { EmbeddingsError } from './errors.ts';

describe('detectDelimiter', () => {
  it('prefers tab, then comma, then semicolon, else whitespace', () => {
    expect(detectDelimiter('\n\na\tb,c\n')).toBe('\t');
    expect(detectDelimiter('a,b;c')).toBe(',');
    expect(detectDelimiter('a;b')).toBe(';');
    expect(detectDelimiter('1.0 2.0  3.0')).toBe('whitespace');
  });
});

describe('parseDelimited', () => {
  it('splits rows, keeps 1-based line numbers, skips blank lines and a BOM, handles CRLF', () => {
    const { rows, lines } = parseDelimited('\ufeffa,b\r\n\r\n1,2\r\n  \n3,4', ',');
    expect(rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(lines).toEqual([1, 3, 5]);
  });

  it('reads quoted cells holding delimiters, doubled quotes and line breaks', () => {
    const { rows, lines } = parseDelimited(
      '"a, b","say ""hi""",3\n"two\nlines",x,y\nlast,1,2\n',
      ',',
    );
    expect(rows).toEqual([
      ['a, b', 'say "hi"', '3'],
      ['two\nlines', 'x', 'y'],
      ['last', '1', '2'],
    ]);
    expect(lines).toEqual([1, 2, 4]);
  });

  it('splits whitespace columns as np.savetxt writes them', () => {
    expect(parseDelimited('  1.5e-01 2.0\t-3\n', 'whitespace').rows).toEqual([
      ['1.5e-01', '2.0', '-3'],
    ]);
  });

  it('refuses a quote that never closes, naming its line', () => {
    expect(() => parseDelimited('a,b\n"open,1\n2,3', ',')).toThrow(EmbeddingsError);
    expect(() => parseDelimited('a,b\n"open,1\n2,3', ',')).toThrow(
      'line 2: a quoted field is never closed',
    );
  });
});

describe('writeCsv', () => {
  it('quotes only what needs it and reads back the same cells', () => {
    const header = ['label', 'value'];
    const rows = [
      ['plain', 1.5],
      ['with, comma', -2],
      ['say "hi"', 0],
      ['two\nlines', 3],
      [' edge ', 4],
    ];
    const text = writeCsv(header, rows);
    expect(text.split('\n')[0]).toBe('label,value');
    expect(text).toContain('plain,1.5\n');
    expect(text).toContain('"with, comma",-2\n');
    expect(text).toContain('"say ""hi""",0\n');
    expect(text.endsWith('\n')).toBe(true);
    expect(parseDelimited(text, ',').rows).toEqual([header, ...rows.map((r) => r.map(String))]);
  });

  it('writes TSV and handles no header and no rows', () => {
    expect(writeCsv(null, [['a b', 'c,d']], { delimiter: '\t' })).toBe('a b\tc,d\n');
    expect(writeCsv(null, [])).toBe('');
    expect(writeCsv(['x'], [])).toBe('x\n');
  });
});

describe('writeCsv keeps formulas as text (OWASP CSV injection)', () => {
  it('prefixes cells starting with =, +, @, tab, CR or - before a non-digit', () => {
    const csv = writeCsv(
      ['label'],
      [['=HYPERLINK("http://x","y")'], ['+cmd'], ['@SUM(A1)'], ['\tx'], ['\rx'], ['-A1']],
    );
    expect(csv.split('\n').slice(1, 7)).toEqual([
      `"'=HYPERLINK(""http://x"",""y"")"`,
      `"'+cmd"`,
      `"'@SUM(A1)"`,
      `"'\tx"`,
      `"'\rx"`,
      `"'-A1"`,
    ]);
  });

  it('leaves negative numbers, number cells and ordinary text alone', () => {
    expect(writeCsv(null, [['-0.5', -2, 'cat', 'a=b', '1+1']])).toBe('-0.5,-2,cat,a=b,1+1\n');
  });
});
