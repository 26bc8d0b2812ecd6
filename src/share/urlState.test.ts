import { describe, expect, it } from 'vitest';
import { encodeBase64Url } from './base64url.ts';
import {
  MAX_INLINE_MAP_CHARS,
  MAX_SEARCH_CHARS,
  ShareStateError,
  defaultShareState,
  formatShareState,
  mapUrlProblem,
  parseShareState,
  shareStateProblems,
  type ShareState,
} from './urlState.ts';

const base: ShareState = defaultShareState();

function roundTrip(state: ShareState): void {
  const { search, hash } = formatShareState(state);
  const back = parseShareState(search, hash);
  expect(back.warnings).toEqual([]);
  expect(back.state).toStrictEqual(state);
}

describe('parseShareState on good links', () => {
  it('reads every field of the documented example without warnings', () => {
    const r = parseShareState(
      '?map=https://example.org/maps/cats.sdrmap&view=compare&items=3,17&k=20&noise=move:0.1,flip:0.25&embed=1&q=a%20tabby%20cat',
      '',
    );
    expect(r.warnings).toEqual([]);
    expect(r.state).toStrictEqual({
      mapSource: { kind: 'url', url: 'https://example.org/maps/cats.sdrmap' },
      view: 'compare',
      selected: [3, 17],
      k: 20,
      noise: { move: 0.1, drop: 0, flip: 0.25, embed: 0 },
      embed: true,
      query: 'a tabby cat',
    });
  });

  it('gives the defaults for an empty link, with or without ? and #', () => {
    for (const [s, h] of [
      ['', ''],
      ['?', '#'],
    ]) {
      expect(parseShareState(s, h)).toStrictEqual({ state: base, warnings: [] });
    }
  });

  it('ignores parameters other tools add, silently', () => {
    const r = parseShareState('?utm_source=mail&view=gallery&fbclid=xyz', '#section-2');
    expect(r).toStrictEqual({ state: { ...base, view: 'gallery' }, warnings: [] });
  });

  it('reads a map inside the link from the fragment', () => {
    const data = encodeBase64Url(Uint8Array.from({ length: 100 }, (_, i) => i));
    const r = parseShareState('?view=map', `#m=${data}`);
    expect(r.warnings).toEqual([]);
    expect(r.state.mapSource).toStrictEqual({ kind: 'inline', data });
  });
});

describe('formatShareState', () => {
  it('round-trips states with each kind of map source', () => {
    roundTrip(base);
    roundTrip({ ...base, mapSource: { kind: 'builtin', id: 'atlas' }, k: 1, embed: true });
    roundTrip({ ...base, mapSource: { kind: 'library', id: '7f3a-22_b.v2' }, selected: [0, 9, 4] });
    roundTrip({
      ...base,
      mapSource: {
        kind: 'url',
        url: 'https://example.org/a b%20c.sdrmap?x=1&y=2#z'.replace(' ', '%20'),
      },
      noise: { move: 0, drop: 0, flip: 0, embed: 0 },
      query: 'cats & dogs = 100% + "quotes" <b>bold</b> #hash ?q ✓ 🐈',
    });
    roundTrip({ ...base, mapSource: { kind: 'url', url: '../maps/a.sdrmap' }, k: 4096 });
    roundTrip({
      ...base,
      mapSource: { kind: 'inline', data: encodeBase64Url(Uint8Array.of(1, 2, 3, 4)) },
      noise: { move: 1e-7, drop: 1, flip: 0.3333333333333333, embed: 0.5 },
    });
  });

  it('writes −0 noise as 0 rather than refusing it', () => {
    const link = formatShareState({ ...base, noise: { move: -0, drop: 0.5, flip: 0, embed: 0 } });
    expect(parseShareState(link.search, link.hash).state.noise).toStrictEqual({
      move: 0,
      drop: 0.5,
      flip: 0,
      embed: 0,
    });
  });

  it('writes readable links: commas, colons and slashes stay as they are', () => {
    const link = formatShareState({
      ...base,
      mapSource: { kind: 'url', url: 'https://example.org/m.sdrmap' },
      selected: [3, 17],
      k: 20,
      noise: { move: 0.1, drop: 0, flip: 0, embed: 0 },
      embed: true,
    });
    expect(link).toEqual({
      search: '?map=https://example.org/m.sdrmap&view=map&items=3,17&k=20&noise=move:0.1&embed=1',
      hash: '',
    });
  });

  it('refuses to write an invalid state, naming the field', () => {
    const bad: Array<[ShareState, RegExp]> = [
      [{ ...base, k: 0 }, /k must be/],
      [{ ...base, k: 2.5 }, /k must be/],
      [{ ...base, mapSource: { kind: 'url', url: 'javascript:alert(1)' } }, /map address/],
      [{ ...base, selected: Array.from({ length: 65 }, (_, i) => i) }, /at most 64/],
      [{ ...base, selected: [1, 1] }, /distinct/],
      [{ ...base, selected: [-1] }, /whole numbers/],
      [{ ...base, noise: { move: 1.5, drop: 0, flip: 0, embed: 0 } }, /noise move/],
      [{ ...base, noise: { move: NaN, drop: 0, flip: 0, embed: 0 } }, /noise move/],
      [{ ...base, view: 'settings' as ShareState['view'] }, /view must be/],
      [{ ...base, query: '' }, /empty/],
      [{ ...base, query: 'x'.repeat(201) }, /at most 200/],
      [{ ...base, query: 'bell\u0007' }, /control/],
      [{ ...base, query: 'half \ud83d' }, /control/],
      [
        { ...base, mapSource: { kind: 'inline', data: 'A'.repeat(MAX_INLINE_MAP_CHARS + 4) } },
        /inside the link/,
      ],
      [{ ...base, mapSource: { kind: 'library', id: '../etc' } }, /library map id/],
    ];
    for (const [state, message] of bad) {
      expect(shareStateProblems(state).length).toBeGreaterThan(0);
      expect(() => formatShareState(state)).toThrow(ShareStateError);
      expect(() => formatShareState(state)).toThrow(message);
    }
  });
});

describe('map addresses from a link', () => {
  const refused: Array<[string, RegExp]> = [
    ['javascript:alert(document.cookie)', /javascript: addresses are not allowed/],
    ['JaVaScRiPt:alert(1)', /javascript: addresses are not allowed/],
    ['data:application/octet-stream;base64,AAAA', /data: addresses/],
    ['blob:https://example.org/5b1f', /blob: addresses/],
    ['file:///etc/passwd', /file: addresses/],
    ['ftp://example.org/m.sdrmap', /ftp: addresses/],
    ['http://example.org/m.sdrmap', /http: addresses are allowed only for localhost/],
    ['http://localhost.evil.example/m.sdrmap', /only for localhost/],
    ['https://user:secret@example.org/m.sdrmap', /user name or password/],
    ['https://user@example.org/m.sdrmap', /user name or password/],
    ['//evil.example/m.sdrmap', /another site/],
    ['/\\evil.example/m.sdrmap', /backslash/],
    ['https://exa mple.org/', /spaces/],
    ['https://example.org/\u0000', /control characters/],
    ['/\t/evil.example/m', /control characters/],
    ['https://[::1', /another site|not a valid/],
    ['https://', /another site|not a valid/],
    ['x'.repeat(3000), /3,000 characters long/],
  ];
  const short = (url: string) => (url.length > 60 ? `${url.slice(0, 60)}…` : url);
  it.each(refused.map(([url, reason]) => [short(url), url, reason] as const))(
    'refuses %j',
    (_label, url, reason) => {
      expect(mapUrlProblem(url)).toMatch(reason);
      const r = parseShareState(`?map=${encodeURIComponent(url)}&k=5`, '');
      expect(r.state.mapSource).toBeNull();
      expect(r.state.k).toBe(5); // the rest of the link still counts
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toMatch(/^ignored map=/);
      expect(r.warnings[0]).not.toContain('secret');
    },
  );

  it.each([
    'https://example.org/m.sdrmap',
    'https://example.org:8443/a/b.sdrmap?v=2',
    'http://localhost:5173/maps/m.sdrmap',
    'http://127.0.0.1/m.sdrmap',
    'http://[::1]:8080/m.sdrmap',
    '/maps/m.sdrmap',
    'maps/m.sdrmap',
    '../m.sdrmap',
    '/%0a/evil',
  ])('accepts %j', (url) => {
    expect(mapUrlProblem(url)).toBeNull();
    const r = parseShareState(`?map=${encodeURIComponent(url)}`, '');
    expect(r).toStrictEqual({ state: { ...base, mapSource: { kind: 'url', url } }, warnings: [] });
  });
});

describe('bad fields are dropped or clamped, each with a warning', () => {
  function one(search: string, hash = ''): { state: ShareState; warning: string } {
    const r = parseShareState(search, hash);
    expect(r.warnings).toHaveLength(1);
    return { state: r.state, warning: r.warnings[0] };
  }

  it('k', () => {
    expect(one('?k=abc')).toEqual({ state: base, warning: 'ignored k=abc: not a number' });
    expect(one('?k=2.5').warning).toBe('ignored k=2.5: not a whole number');
    expect(one('?k=0x10').state.k).toBeNull();
    expect(one('?k=0')).toEqual({
      state: { ...base, k: 1 },
      warning: 'k=0 is outside 1–4096; using k=1',
    });
    expect(one('?k=99999').state.k).toBe(4096);
    expect(one('?k=1e999').state.k).toBe(4096);
    expect(one('?k=').warning).toMatch(/not a number/);
  });

  it('view', () => {
    expect(one('?view=%3Cscript%3E')).toEqual({
      state: base,
      warning:
        'ignored view=<script>: not a view (map, gallery, compare, robustness, algebra, claims, data, library, item, novelty, storage)',
    });
  });

  it('items: bad, repeated and too many', () => {
    expect(one('?items=4,x,2').state.selected).toEqual([4, 2]);
    expect(one('?items=4,x,2').warning).toMatch(/ignored 1 entry of items \(x\)/);
    expect(one('?items=3,3,1,3').state.selected).toEqual([3, 1]);
    expect(one('?items=99999999999').state.selected).toEqual([]);
    const many = Array.from({ length: 100 }, (_, i) => 100 - i).join(',');
    const r = one(`?items=${many}`);
    expect(r.state.selected).toHaveLength(64);
    expect(r.state.selected[0]).toBe(100);
    expect(r.warning).toBe('kept the first 64 of 100 items: a link selects at most 64');
  });

  it('noise: unknown kinds, bad numbers, out-of-range levels', () => {
    expect(one('?noise=move:2').state.noise).toEqual({ move: 1, drop: 0, flip: 0, embed: 0 });
    expect(one('?noise=drop:-0.5,flip:0.2').state.noise).toEqual({
      move: 0,
      drop: 0,
      flip: 0.2,
      embed: 0,
    });
    expect(one('?noise=blur:0.1,move:0.3').state.noise?.move).toBe(0.3);
    const r = parseShareState('?noise=move:lots', '');
    expect(r.state.noise).toBeNull();
    expect(r.warnings).toEqual([
      'noise: move=lots: not a number',
      'ignored noise=move:lots: no valid level (write e.g. noise=move:0.1,drop:0.05)',
    ]);
  });

  it('embed', () => {
    expect(parseShareState('?embed', '').state.embed).toBe(true);
    expect(parseShareState('?embed=0', '').state.embed).toBe(false);
    expect(one('?embed=maybe')).toEqual({
      state: base,
      warning: 'ignored embed=maybe: write embed=1 or embed=0',
    });
  });

  it('repeated parameters: the first wins', () => {
    expect(one('?k=3&k=9&k=12')).toEqual({
      state: { ...base, k: 3 },
      warning: 'k appears 3 times in the link; used the first (k=3)',
    });
  });

  it('one map per link: inline, then map, then library, then builtin', () => {
    const data = encodeBase64Url(Uint8Array.of(9, 9, 9));
    const r = parseShareState('?builtin=atlas&library=mine&map=/m.sdrmap', `#m=${data}`);
    expect(r.state.mapSource).toEqual({ kind: 'inline', data });
    expect(r.warnings).toHaveLength(3);
    const fallback = parseShareState('?builtin=atlas&map=javascript:x', '#m=!!');
    expect(fallback.state.mapSource).toEqual({ kind: 'builtin', id: 'atlas' });
    expect(fallback.warnings).toHaveLength(2);
  });
});

describe('text stays data', () => {
  it('keeps HTML in the query as literal text', () => {
    const html = '<img src=x onerror=alert(1)>';
    const r = parseShareState(`?q=${encodeURIComponent(html)}`, '');
    expect(r).toStrictEqual({ state: { ...base, query: html }, warnings: [] });
  });

  it('removes control and bidi-override characters from the query', () => {
    const r = parseShareState('?q=abc%E2%80%AEgnp.exe%00%1B[31m', '');
    expect(r.state.query).toBe('abcgnp.exe[31m');
    expect(r.warnings).toEqual(['removed control characters from the query text']);
  });

  it('shortens a long query to 200 characters without splitting an emoji', () => {
    const r = parseShareState(`?q=${encodeURIComponent('🐈'.repeat(300))}`, '');
    expect(Array.from(r.state.query ?? '')).toHaveLength(200);
    expect(r.state.query).toBe('🐈'.repeat(200));
    expect(r.warnings).toEqual(['shortened the query text from 300 to 200 characters']);
  });

  it('quotes hostile values in warnings short and without control characters', () => {
    const r = parseShareState(`?view=${'%00'.repeat(10)}${'A'.repeat(5000)}`, '');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0].length).toBeLessThan(200);
    expect(r.warnings[0]).not.toContain('\u0000');
  });
});

describe('size caps', () => {
  it(`refuses a query string over ${MAX_SEARCH_CHARS} characters as a whole`, () => {
    const r = parseShareState(`?k=5&q=${'a'.repeat(MAX_SEARCH_CHARS)}`, '');
    expect(r.state).toStrictEqual(base);
    expect(r.warnings).toEqual([
      "ignored the link's settings: the part after '?' is 8,198 characters; a link carries at most 8,192",
    ]);
  });

  it('accepts an inline map at the cap and refuses one over it', () => {
    const atCap = 'A'.repeat(MAX_INLINE_MAP_CHARS);
    expect(parseShareState('', `#m=${atCap}`).state.mapSource).toEqual({
      kind: 'inline',
      data: atCap,
    });
    const over = parseShareState('?k=7', `#m=${atCap}AAAA`);
    expect(over.state).toStrictEqual({ ...base, k: 7 });
    expect(over.warnings[0]).toMatch(/^ignored the map inside the link: .*at most 524,288/);
  });

  it('reads 10 MB of garbage in either part without trouble', () => {
    const junk = '&%zz=%'.repeat(1_700_000);
    const r = parseShareState(junk, junk);
    expect(r.state).toStrictEqual(base);
    expect(r.warnings).toHaveLength(2);
  });
});

describe('view fields: compare, item, unit, algebra, built-in version', () => {
  it('carries a comparison with a mixture, the inspected item, a unit and an expression', () => {
    const state = {
      ...defaultShareState(),
      view: 'compare' as const,
      compare: [3, 17, [3, 17]],
      item: 17,
      unit: 513,
      algebra: { op: 'difference' as const, operands: [3, 17, 3] },
      query: 'a dog on a beach',
    };
    const { search } = formatShareState(state);
    expect(search).toContain('cmp=3,17,3~17');
    expect(search).toContain('alg=difference:3,17,3');
    expect(parseShareState(search, '')).toEqual({ state, warnings: [] });
  });

  it('reads a typed + between mixture parts (a space once decoded) as ~', () => {
    const { state, warnings } = parseShareState('?cmp=1,2%2B3,4+5', '');
    expect(warnings).toHaveLength(1); // 2+3 (a literal plus) is refused with a reason
    expect(state.compare).toEqual([1, [4, 5]]);
  });

  it('drops bad entries with a reason and keeps the good ones', () => {
    const { state, warnings } = parseShareState(
      '?cmp=1,1~1,x,1,2~3~4~5&item=-1&unit=99999999&alg=xor:1',
      '',
    );
    expect(state.compare).toEqual([1]);
    expect(state.item).toBeUndefined();
    expect(state.unit).toBeUndefined();
    expect(state.algebra).toBeUndefined();
    expect(warnings).toHaveLength(4);
  });

  it('names a built-in map by id and version; without a version it opens the current one', () => {
    expect(parseShareState('?builtin=concepts@1', '').state.mapSource).toEqual({
      kind: 'builtin',
      id: 'concepts',
      version: 1,
    });
    expect(parseShareState('?builtin=concepts', '')).toEqual({
      state: { ...defaultShareState(), mapSource: { kind: 'builtin', id: 'concepts' } },
      warnings: [],
    });
    const bad = parseShareState('?builtin=concepts@0', '');
    expect(bad.state.mapSource).toEqual({ kind: 'builtin', id: 'concepts' });
    expect(bad.warnings[0]).toMatch(/version/);
    expect(
      formatShareState({
        ...defaultShareState(),
        mapSource: { kind: 'builtin', id: 'concepts', version: 2 },
      }).search,
    ).toBe('?builtin=concepts@2&view=map');
  });
});
