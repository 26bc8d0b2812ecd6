// Fuzzing the share-link parser: 10,500 cases of arbitrary text, key/value soup and mutated
// valid links. For every input the parser must return (never throw) a state that satisfies the
// ShareState invariants, checked here independently of the parser's own validation, and that
// state must survive a format → parse round trip unchanged.
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { encodeBase64Url } from './base64url.ts';
import { LONE_SURROGATE as LONE_SURROGATE_G, UNSAFE_CHARS } from '../io/text.ts';
import {
  NOISE_KINDS,
  SHARE_VIEWS,
  formatShareState,
  parseShareState,
  shareStateProblems,
  type MapSource,
  type ShareState,
} from './urlState.ts';

const CONTROL = new RegExp(UNSAFE_CHARS.source);
const LONE_SURROGATE = new RegExp(LONE_SURROGATE_G.source);
const loneSurrogates = LONE_SURROGATE_G;

/**
 * Every way `state` (and its warnings) breaks the ShareState contract a page relies on; empty
 * when it holds. Plain checks rather than one `expect` each: 10,500 cases × 30 expects would
 * spend most of the run in the assertion library.
 */
function invariantProblems(state: ShareState, warnings: string[]): string[] {
  const bad: string[] = [];
  const want = ['embed', 'k', 'mapSource', 'noise', 'selected', 'view'];
  const optional = ['query', 'compare', 'item', 'unit', 'algebra'];
  for (const key of Object.keys(state)) {
    if (!want.includes(key) && !optional.includes(key)) bad.push(`key ${key}`);
  }
  for (const key of want) if (!(key in state)) bad.push(`missing ${key}`);
  bad.push(...viewFieldProblems(state));
  if (!(SHARE_VIEWS as readonly string[]).includes(state.view)) bad.push('view');
  if (state.mapSource !== null) bad.push(...sourceProblems(state.mapSource));
  const sel = state.selected;
  if (!Array.isArray(sel) || sel.length > 64 || new Set(sel).size !== sel.length) {
    bad.push('selected: not a distinct list of at most 64');
  } else if (!sel.every((i) => Number.isInteger(i) && i >= 0 && i <= 0xffffffff)) {
    bad.push('selected: index out of range');
  }
  const k = state.k;
  if (k !== null && !(Number.isInteger(k) && k >= 1 && k <= 4096)) bad.push('k');
  if (state.noise !== null) {
    const noise = state.noise;
    if (Object.keys(noise).sort().join() !== [...NOISE_KINDS].sort().join()) bad.push('noise keys');
    for (const kind of NOISE_KINDS) {
      const v = noise[kind];
      if (!(v >= 0 && v <= 1) || Object.is(v, -0)) bad.push(`noise ${kind}=${v}`);
    }
  }
  if (typeof state.embed !== 'boolean') bad.push('embed');
  const q = state.query;
  if (q !== undefined) {
    if (typeof q !== 'string' || q.length === 0 || Array.from(q).length > 200)
      bad.push('query size');
    else if (CONTROL.test(q) || LONE_SURROGATE.test(q)) bad.push('query characters');
  }
  // Warnings are few, short, and never the parser's safety net catching its own bug.
  if (warnings.length > 20) bad.push(`${warnings.length} warnings`);
  for (const w of warnings) {
    if (typeof w !== 'string' || w.length > 400 || w.includes('internal error')) {
      bad.push(`warning ${String(w).slice(0, 100)}`);
    }
  }
  return bad;
}

const isIndex = (i: unknown, max: number) =>
  typeof i === 'number' && Number.isInteger(i) && i >= 0 && i <= max;

/** The per-view fields (compare, item, unit, algebra), checked apart from the parser's own rules. */
function viewFieldProblems(state: ShareState): string[] {
  const bad: string[] = [];
  const cmp = state.compare;
  if (cmp !== undefined) {
    if (!Array.isArray(cmp) || cmp.length === 0 || cmp.length > 6) bad.push('compare size');
    else {
      for (const e of cmp) {
        if (typeof e === 'number' ? !isIndex(e, 0xffffffff) : !Array.isArray(e)) {
          bad.push('compare entry');
        } else if (Array.isArray(e)) {
          if (e.length < 2 || e.length > 3 || new Set(e).size !== e.length) bad.push('mixture');
          if (!e.every((i) => isIndex(i, 0xffffffff))) bad.push('mixture part');
        }
      }
      const keys = cmp.map((e) => (typeof e === 'number' ? String(e) : e.join('~')));
      if (new Set(keys).size !== keys.length) bad.push('compare repeats');
    }
  }
  if (state.item !== undefined && !isIndex(state.item, 0xffffffff)) bad.push('item');
  if (state.unit !== undefined && !isIndex(state.unit, 1024 * 1024 - 1)) bad.push('unit');
  const alg = state.algebra;
  if (alg !== undefined) {
    if (!['union', 'intersection', 'difference', 'not'].includes(alg.op)) bad.push('algebra op');
    const ops = alg.operands;
    if (ops.length < 1 || ops.length > 6 || !ops.every((i) => isIndex(i, 0xffffffff))) {
      bad.push('algebra operands');
    }
  }
  return bad;
}

function sourceProblems(src: MapSource): string[] {
  if (src.kind === 'builtin' || src.kind === 'library') {
    const version = src.kind === 'builtin' ? src.version : undefined;
    if (version !== undefined && !(isIndex(version, 999_999) && version >= 1)) {
      return ['builtin version'];
    }
    return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(src.id) ? [] : [`${src.kind} id`];
  }
  if (src.kind === 'inline') {
    return /^[A-Za-z0-9_-]{1,524288}$/.test(src.data) ? [] : ['inline data'];
  }
  if (src.kind !== 'url') return ['source kind'];
  const url = src.url;
  if (url.length === 0 || url.length > 2048 || /[\s\\]/.test(url) || CONTROL.test(url)) {
    return ['url text'];
  }
  const resolved = new URL(url, 'https://page.example/app/');
  if (resolved.origin === 'https://page.example') return []; // stays on the page's origin
  if (!/^https?:/i.test(url) || resolved.username !== '' || resolved.password !== '') {
    return [`url ${url}`];
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(resolved.hostname);
  return resolved.protocol === 'https:' || (resolved.protocol === 'http:' && local)
    ? []
    : [`url ${url}`];
}

/** Parse, check invariants, then check the result is a fixed point of format → parse. */
function check(search: string, hash: string): void {
  const { state, warnings } = parseShareState(search, hash);
  const problems = [...invariantProblems(state, warnings), ...shareStateProblems(state)];
  if (problems.length > 0) expect({ search, hash, state, problems }).toBeUndefined();
  const link = formatShareState(state);
  const again = parseShareState(link.search, link.hash);
  if (again.warnings.length > 0 || !isDeepStrictEqual(again.state, state)) {
    expect(again).toStrictEqual({ state, warnings: [] });
  }
}

const idArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);
// Hand-built addresses rather than fc.webUrl/fc.domain: several times cheaper to generate,
// and they still cover ports, queries, fragments, percent escapes and non-ASCII paths.
const segmentArb = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9._~-]{1,8}$/) },
  { weight: 1, arbitrary: fc.constantFrom('é', '%20', '🐈', 'a%zz', '..', '.', 'a@b', 'x:y') },
);
const pathArb = fc.array(segmentArb, { minLength: 1, maxLength: 4 }).map((segs) => segs.join('/'));
const hostArb = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{1,10}$/), fc.constantFrom('org', 'com', 'example', 'co.uk'))
  .map(([name, tld]) => `${name}.${tld}`);
const tailArb = fc.constantFrom('', '?v=2', '?a=1&b=%26', '#part', '?x=y#z');
const urlArb = fc.oneof(
  fc
    .tuple(hostArb, fc.option(fc.nat(65535)), pathArb, tailArb)
    .map(([h, port, p, tail]) => `https://${h}${port === null ? '' : `:${port}`}/${p}${tail}`),
  fc
    .tuple(fc.constantFrom('localhost', '127.0.0.1', '[::1]'), fc.nat(65535), pathArb)
    .map(([h, port, p]) => `http://${h}:${port}/${p}`),
  pathArb.map((p) => `/${p}`),
  pathArb.map((p) => `../${p}`),
);
const sourceArb: fc.Arbitrary<MapSource | null> = fc.oneof(
  fc.constant(null),
  idArb.map((id) => ({ kind: 'builtin' as const, id })),
  fc
    .tuple(idArb, fc.integer({ min: 1, max: 999_999 }))
    .map(([id, version]) => ({ kind: 'builtin' as const, id, version })),
  idArb.map((id) => ({ kind: 'library' as const, id })),
  urlArb.map((url) => ({ kind: 'url' as const, url })),
  fc
    .uint8Array({ minLength: 1, maxLength: 120 })
    .map((b) => ({ kind: 'inline' as const, data: encodeBase64Url(b) })),
);
const itemArb = fc.tuple(fc.nat(0xffff), fc.nat(0xffff)).map(([hi, lo]) => hi * 0x10000 + lo);
const levelArb = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }).map((v) => (v === 0 ? 0 : v)),
  fc.constantFrom(0, 0.05, 0.1, 0.5, 1),
);
const queryArb = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 60 })
  .map((s) =>
    s
      .replace(new RegExp(CONTROL.source, 'g'), '')
      .replace(new RegExp(LONE_SURROGATE.source, 'g'), ''),
  )
  .filter((s) => s.length > 0);

const compareArb = fc.uniqueArray(
  fc.oneof(itemArb, fc.uniqueArray(itemArb, { minLength: 2, maxLength: 3 })),
  {
    minLength: 1,
    maxLength: 6,
    selector: (e) => (typeof e === 'number' ? String(e) : e.join('~')),
  },
);
const algebraArb = fc.record(
  {
    op: fc.constantFrom('union', 'intersection', 'difference', 'not') as fc.Arbitrary<
      'union' | 'intersection' | 'difference' | 'not'
    >,
    operands: fc.array(itemArb, { minLength: 1, maxLength: 6 }),
  },
  { noNullPrototype: true },
);

const validStateArb: fc.Arbitrary<ShareState> = fc
  .record({
    mapSource: sourceArb,
    view: fc.constantFrom(...SHARE_VIEWS),
    selected: fc.uniqueArray(itemArb, { maxLength: 64 }),
    k: fc.option(fc.integer({ min: 1, max: 4096 })),
    noise: fc.option(
      fc.record(
        { move: levelArb, drop: levelArb, flip: levelArb, embed: levelArb },
        { noNullPrototype: true },
      ),
    ),
    embed: fc.boolean(),
    query: fc.option(queryArb),
    compare: fc.option(compareArb),
    item: fc.option(itemArb),
    unit: fc.option(fc.integer({ min: 0, max: 1024 * 1024 - 1 })),
    algebra: fc.option(algebraArb),
  })
  .map((all) => {
    // Optional fields are absent, never null or undefined, in a parsed state.
    const out: Record<string, unknown> = {};
    const optional = ['query', 'compare', 'item', 'unit', 'algebra'];
    for (const [key, value] of Object.entries(all)) {
      if (value !== null || !optional.includes(key)) out[key] = value;
    }
    return out as unknown as ShareState;
  });

const nasty = fc.constantFrom(
  '&',
  '=',
  '?',
  '#',
  '%',
  '%0',
  '%00',
  '%zz',
  '%E2%80%AE',
  '%ED%A0%80',
  '+',
  ',',
  ':',
  ';',
  '//',
  '\\',
  '@',
  'javascript:',
  'data:',
  'k=',
  'k=0',
  'items=',
  'noise=',
  'map=',
  'm=',
  'view=',
  'embed=',
  'q=',
  'cmp=',
  'cmp=1~1',
  '~',
  'item=',
  'unit=',
  'alg=',
  'alg=union:',
  'builtin=concepts@',
  '@0',
  '-1',
  '1e999',
  'NaN',
  '\u0000',
  '\ud800',
  '🐈',
  ' ',
  '\t',
  '\n',
);
const editArb = fc.oneof(
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(nasty, fc.string({ maxLength: 6 })),
  }),
  fc.record({
    op: fc.constant('delete' as const),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({
    op: fc.constant('repeat' as const),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 30 }),
  }),
);
type Edit = typeof editArb extends fc.Arbitrary<infer T> ? T : never;

function applyEdits(text: string, edits: readonly Edit[]): string {
  let t = text;
  for (const e of edits) {
    const at = t.length === 0 ? 0 : e.at % (t.length + 1);
    if (e.op === 'insert') t = t.slice(0, at) + e.text + t.slice(at);
    else if (e.op === 'delete') t = t.slice(0, at) + t.slice(at + e.len);
    else t = t.slice(0, at) + t.slice(at, at + e.len).repeat(3) + t.slice(at);
  }
  return t;
}

describe('parseShareState under fuzzing (10,500 cases)', () => {
  it('arbitrary text in both parts (3,000 cases)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.string({ unit: 'binary', maxLength: 200 }),
        (search, hash) => check(search, hash),
      ),
      { seed: 11, numRuns: 3000 },
    );
  });

  it('soup of known keys and hostile values (3,000 cases)', () => {
    const key = fc.constantFrom(
      'map',
      'builtin',
      'library',
      'view',
      'items',
      'k',
      'noise',
      'embed',
      'q',
      'cmp',
      'item',
      'unit',
      'alg',
      'm',
      'x',
    );
    const value = fc.oneof(
      nasty,
      fc.string({ maxLength: 30 }),
      fc.stringMatching(/^[0-9,.:a-z-]{0,30}$/),
      urlArb,
      fc.constantFrom(...SHARE_VIEWS),
      fc.constantFrom('move:0.1', 'drop:-1,flip:2', 'none', 'embed:x', '1,2,3,2,-4'),
      fc.constantFrom(
        '3,17,3~17',
        '1~1',
        '1~2~3~4',
        '5,5,2~5,5~2',
        '1,2,3,4,5,6,7,8',
        '~',
        '1+2',
        '1 2~3',
      ),
      fc.constantFrom('union:3,17', 'not:1', 'xor:1', 'union:', 'difference:1,2,3,4,5,6,7'),
      fc.constantFrom('concepts@1', 'concepts@0', 'concepts@', '@1', 'concepts@1@2', 'a@x'),
    );
    const pairs = fc.array(fc.tuple(key, value), { maxLength: 12 });
    fc.assert(
      fc.property(pairs, pairs, fc.boolean(), (q, h, raw) => {
        const join = (ps: Array<[string, string]>) =>
          ps
            .map(
              ([k, v]) =>
                `${k}=${raw ? v : encodeURIComponent(v.replace(loneSurrogates, '\ufffd'))}`,
            )
            .join('&');
        check(`?${join(q)}`, `#${join(h)}`);
      }),
      { seed: 12, numRuns: 3000 },
    );
  });

  it('mutated valid links (3,000 cases)', () => {
    fc.assert(
      fc.property(
        validStateArb,
        fc.array(editArb, { minLength: 1, maxLength: 6 }),
        (state, edits) => {
          const { search, hash } = formatShareState(state);
          const mutated = applyEdits(search + hash, edits);
          const cut = mutated.indexOf('#');
          check(cut < 0 ? mutated : mutated.slice(0, cut), cut < 0 ? '' : mutated.slice(cut));
        },
      ),
      { seed: 13, numRuns: 3000 },
    );
  });

  it('valid states round-trip exactly, with no warnings (1,500 cases)', () => {
    fc.assert(
      fc.property(validStateArb, (state) => {
        expect(shareStateProblems(state)).toEqual([]);
        const { search, hash } = formatShareState(state);
        const back = parseShareState(search, hash);
        if (back.warnings.length > 0 || !isDeepStrictEqual(back.state, state)) {
          expect(back).toStrictEqual({ state, warnings: [] });
        }
      }),
      { seed: 14, numRuns: 1500 },
    );
  });
});
