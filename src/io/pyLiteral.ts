/**
 * A small, strict parser for the Python literals that `.npy` headers are written in, e.g.
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (1203, 512), }`.
 *
 * Never `eval`: a header is untrusted input. Only what `repr()` of such a dict can produce is
 * accepted: dicts with string keys, tuples, lists, strings ('…' or "…", optional u/b prefix),
 * integers (with Python 2's `L` suffix, as old numpy wrote `(3L, 4L)`), True, False and None.
 * Nesting is capped so a hostile header cannot exhaust the stack.
 */

export type PyValue =
  | string
  | number
  | boolean
  | null
  | { readonly kind: 'tuple'; readonly items: readonly PyValue[] }
  | { readonly kind: 'list'; readonly items: readonly PyValue[] }
  | { readonly kind: 'dict'; readonly entries: ReadonlyMap<string, PyValue> };

export class PyLiteralError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PyLiteralError';
  }
}

/** Deepest nesting accepted; npy headers nest two levels (dict → tuple). */
const MAX_DEPTH = 32;

const ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

/** Parse one Python literal; the whole text must be that literal plus whitespace. */
export function parsePythonLiteral(text: string): PyValue {
  let pos = 0;

  const fail = (what: string): never => {
    const near = text.slice(pos, pos + 20);
    // JSON quoting keeps the message on one line whatever bytes the header holds.
    throw new PyLiteralError(
      `${what} at character ${pos}${near ? ` (near ${JSON.stringify(near)})` : ''}`,
    );
  };

  const skipSpace = () => {
    while (pos < text.length) {
      const c = text[pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') pos++;
      else break;
    }
  };

  const parseString = (): string => {
    if (text[pos] === 'u' || text[pos] === 'b') pos++;
    const quote = text[pos];
    if (quote !== "'" && quote !== '"') fail('expected a string');
    pos++;
    let out = '';
    for (;;) {
      if (pos >= text.length) fail('unterminated string');
      const c = text[pos++];
      if (c === quote) return out;
      if (c === '\n') fail('line break inside a string');
      if (c !== '\\') {
        out += c;
        continue;
      }
      if (pos >= text.length) fail('unterminated string');
      const e = text[pos++];
      if (e in ESCAPES) out += ESCAPES[e];
      else if (e === 'x' || e === 'u') {
        const len = e === 'x' ? 2 : 4;
        const hex = text.slice(pos, pos + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail(`bad \\${e} escape`);
        out += String.fromCharCode(parseInt(hex, 16));
        pos += len;
      } else fail(`unknown escape \\${e}`);
    }
  };

  const parseNumber = (): number => {
    const m = /^[+-]?\d+/.exec(text.slice(pos, pos + 40));
    if (!m) return fail('expected a value');
    pos += m[0].length;
    if (text[pos] === 'L' || text[pos] === 'l') pos++;
    if (/^[.eEjJxXoObB_0-9]/.test(text[pos] ?? '')) fail('only integers are allowed');
    const v = Number(m[0]);
    if (!Number.isSafeInteger(v)) fail(`integer ${m[0]} is too large`);
    return v;
  };

  const parseSequence = (close: string, depth: number): { items: PyValue[]; comma: boolean } => {
    const items: PyValue[] = [];
    let comma = false;
    skipSpace();
    while (text[pos] !== close) {
      items.push(parseValue(depth + 1));
      skipSpace();
      if (text[pos] === ',') {
        comma = true;
        pos++;
        skipSpace();
      } else if (text[pos] !== close) fail(`expected ',' or '${close}'`);
    }
    pos++;
    return { items, comma };
  };

  const parseValue = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) fail('nesting is too deep');
    skipSpace();
    if (pos >= text.length) fail('unexpected end of text');
    const c = text[pos];
    if (c === '{') {
      pos++;
      const entries = new Map<string, PyValue>();
      skipSpace();
      while (text[pos] !== '}') {
        const key = parseValue(depth + 1);
        if (typeof key !== 'string') fail('dict keys must be strings');
        const k = key as string;
        if (entries.has(k)) fail(`duplicate key '${k}'`);
        skipSpace();
        if (text[pos] !== ':') fail("expected ':'");
        pos++;
        entries.set(k, parseValue(depth + 1));
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          skipSpace();
        } else if (text[pos] !== '}') fail("expected ',' or '}'");
      }
      pos++;
      return { kind: 'dict', entries };
    }
    if (c === '(') {
      pos++;
      const { items, comma } = parseSequence(')', depth);
      // Python: "(5)" is just 5; a tuple of one needs the comma, "(5,)".
      if (items.length === 1 && !comma) return items[0];
      return { kind: 'tuple', items };
    }
    if (c === '[') {
      pos++;
      return { kind: 'list', items: parseSequence(']', depth).items };
    }
    if (c === "'" || c === '"' || ((c === 'u' || c === 'b') && /['"]/.test(text[pos + 1] ?? ''))) {
      return parseString();
    }
    for (const [word, value] of [
      ['True', true],
      ['False', false],
      ['None', null],
    ] as const) {
      if (text.startsWith(word, pos) && !/\w/.test(text[pos + word.length] ?? '')) {
        pos += word.length;
        return value;
      }
    }
    return parseNumber();
  };

  const value = parseValue(0);
  skipSpace();
  if (pos !== text.length) fail('unexpected text after the literal');
  return value;
}
