import { describe, expect, it } from 'vitest';
import { parsePythonLiteral, PyLiteralError, type PyValue } from './pyLiteral.ts';

function dict(v: PyValue): Record<string, PyValue> {
  if (v === null || typeof v !== 'object' || v.kind !== 'dict') throw new Error('not a dict');
  return Object.fromEntries(v.entries);
}

describe('parsePythonLiteral', () => {
  it('reads a numpy header as numpy writes it', () => {
    const d = dict(
      parsePythonLiteral("{'descr': '<f4', 'fortran_order': False, 'shape': (1203, 512), }   \n"),
    );
    expect(d.descr).toBe('<f4');
    expect(d.fortran_order).toBe(false);
    expect(d.shape).toEqual({ kind: 'tuple', items: [1203, 512] });
  });

  it('reads one-element and empty tuples, and Python 2 long integers', () => {
    expect(parsePythonLiteral('(5,)')).toEqual({ kind: 'tuple', items: [5] });
    expect(parsePythonLiteral('()')).toEqual({ kind: 'tuple', items: [] });
    expect(parsePythonLiteral('(5)')).toBe(5); // a parenthesised int, as in Python
    expect(parsePythonLiteral('(3L, 4L)')).toEqual({ kind: 'tuple', items: [3, 4] });
  });

  it('reads strings with both quotes, prefixes and escapes', () => {
    expect(parsePythonLiteral(`"it's"`)).toBe("it's");
    expect(parsePythonLiteral(`u'caf\\xe9'`)).toBe('café');
    expect(parsePythonLiteral(`'a\\'b\\\\c\\n'`)).toBe("a'b\\c\n");
    expect(parsePythonLiteral(`'\\u00e9t\\u00e9'`)).toBe('été');
  });

  it('reads lists, nested structures, True/False/None and negative integers', () => {
    expect(parsePythonLiteral("[('x', '<f4'), ('y', '<i8')]")).toEqual({
      kind: 'list',
      items: [
        { kind: 'tuple', items: ['x', '<f4'] },
        { kind: 'tuple', items: ['y', '<i8'] },
      ],
    });
    expect(parsePythonLiteral('[True, False, None, -3]')).toEqual({
      kind: 'list',
      items: [true, false, null, -3],
    });
  });

  it.each([
    ['', /unexpected end/],
    ["{'a': 1", /expected ',' or '}'|unexpected end/],
    ["{'a' 1}", /expected ':'/],
    ['{1: 2}', /keys must be strings/],
    ["{'a': 1, 'a': 2}", /duplicate key 'a'/],
    ["'abc", /unterminated string/],
    ["'\\q'", /unknown escape/],
    ['1.5', /only integers/],
    ['1e3', /only integers/],
    ['0x10', /only integers/],
    ['99999999999999999999', /too large/],
    ['__import__("os")', /expected a value/],
    ['(1 2)', /expected ','/],
    ['(1,) x', /unexpected text after/],
    ['Truex', /expected a value/],
    ['['.repeat(100), /nesting is too deep/],
  ])('refuses %j', (text, message) => {
    expect(() => parsePythonLiteral(text)).toThrow(PyLiteralError);
    expect(() => parsePythonLiteral(text)).toThrow(message);
  });
});
