import { describe, expect, it } from 'vitest';
import { GridExportError, escapeXml, exportSize, gridToSvg } from './exportImage.ts';
import { GRID_COLORS } from './scene.ts';
import { makeGrid } from '../../../src/index.ts';

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITY[e]);

/**
 * A strict little XML reader for the subset SVG export writes (elements, double-quoted
 * attributes, text, the five predefined entities). It throws on anything not well-formed: an
 * unmatched or misnested tag, a raw '<' or stray '&' in text, an unquoted attribute.
 */
function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  const attr = /\s+([\w:.-]+)="([^"<]*)"/g;
  let pos = 0;
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const text = xml.slice(pos, lt < 0 ? xml.length : lt);
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`stray & in text "${text}"`);
    if (text.includes('>')) throw new Error(`raw > in text "${text}"`);
    stack[stack.length - 1].text += decode(text);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    if (!m) throw new Error(`malformed tag at ${lt}: ${xml.slice(lt, lt + 40)}`);
    const [whole, close, name, attrText, selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
    } else {
      const attrs: Record<string, string> = {};
      for (const a of attrText.matchAll(attr)) {
        if (/&(?!(amp|lt|gt|quot|apos);)/.test(a[2])) throw new Error(`stray & in ${a[1]}`);
        if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1]] = decode(a[2]);
      }
      const el: XmlElement = { name, attrs, children: [], text: '' };
      stack[stack.length - 1].children.push(el);
      if (!selfClose) stack.push(el);
    }
    pos = lt + whole.length;
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1].name}> is never closed`);
  if (root.children.length !== 1) throw new Error('an XML document has exactly one root');
  return root.children[0];
}

function all(el: XmlElement, pred: (e: XmlElement) => boolean, out: XmlElement[] = []) {
  if (pred(el)) out.push(el);
  for (const c of el.children) all(c, pred, out);
  return out;
}
const classes = (e: XmlElement) => (e.attrs.class ?? '').split(' ');

describe('the test XML reader', () => {
  it('rejects what is not well-formed', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow();
    expect(() => parseXml('<a>x < y</a>')).toThrow();
    expect(() => parseXml('<a>Tom & Jerry</a>')).toThrow();
    expect(() => parseXml('<a x=1/>')).toThrow();
    expect(parseXml('<a x="1"><b/>t&amp;u</a>').text).toBe('t&u');
  });
});

describe('gridToSvg', () => {
  const grid = makeGrid(8, 8);
  const sdr = Uint32Array.of(0, 9, 18, 27);
  const compareSdr = Uint32Array.of(27, 36);

  it('writes a well-formed SVG with one cell per unit and the SDR cells marked', () => {
    const svg = gridToSvg({ grid, sdr, compareSdr }, { title: 'two SDRs' });
    const doc = parseXml(svg);
    expect(doc.name).toBe('svg');
    expect(doc.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    const cells = all(doc, (e) => classes(e).includes('cell'));
    expect(cells).toHaveLength(64);
    expect(cells.map((c) => Number(c.attrs['data-unit']))).toEqual(
      Array.from({ length: 64 }, (_, i) => i),
    );
    const unitsWith = (cls: string) =>
      cells.filter((c) => classes(c).includes(cls)).map((c) => Number(c.attrs['data-unit']));
    expect(unitsWith('active-a')).toEqual([0, 9, 18]);
    expect(unitsWith('active-b')).toEqual([36]);
    expect(unitsWith('active-both')).toEqual([27]);
    expect(cells[0].attrs.fill).toBe(GRID_COLORS.a);
    expect(cells[36].attrs.fill).toBe(GRID_COLORS.b);
    expect(cells[27].attrs.fill).toBe(GRID_COLORS.both);
    expect(cells[1].attrs.fill).toBe(GRID_COLORS.empty);
    expect(all(doc, (e) => e.name === 'title')[0].text).toBe('two SDRs');
  });

  it('draws hex cells as hexagons inside the picture', () => {
    const hex = makeGrid(5, 5, 'hex');
    const doc = parseXml(gridToSvg({ grid: hex, sdr: Uint32Array.of(12) }, { width: 300 }));
    const polys = all(doc, (e) => e.name === 'polygon');
    expect(polys).toHaveLength(25);
    const [w, h] = [Number(doc.attrs.width), Number(doc.attrs.height)];
    for (const p of polys) {
      const pts = p.attrs.points.split(' ').map((xy) => xy.split(',').map(Number));
      expect(pts).toHaveLength(6);
      for (const [x, y] of pts) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(w);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(h);
      }
    }
    expect(polys.filter((p) => classes(p).includes('active-a'))).toHaveLength(1);
  });

  it('keeps hostile labels as text: <script> cannot become an element', () => {
    const labels = Array.from({ length: 64 }, (_, i) =>
      i < 32 ? '<script>' : 'Tom & Jerry\'s "map"',
    );
    const svg = gridToSvg({ grid, labels }, { width: 600, title: 'a <b>bold</b> title' });
    expect(svg).not.toContain('<script');
    const doc = parseXml(svg);
    expect(all(doc, (e) => e.name === 'script')).toHaveLength(0);
    const texts = all(doc, (e) => e.name === 'text').map((t) => t.text);
    expect(texts).toContain('<script>');
    expect(texts).toContain('Tom & Jerry\'s "map"');
    expect(all(doc, (e) => e.name === 'title')[0].text).toBe('a <b>bold</b> title');
  });

  it('draws outline marks over the underlay colours in the outline style', () => {
    const values = Float32Array.from({ length: 64 }, (_, i) => i);
    const doc = parseXml(gridToSvg({ grid, values, sdr, sdrStyle: 'outline' }));
    const cells = all(doc, (e) => classes(e).includes('cell'));
    // Underlay colours stay visible under outlined cells: first and last differ.
    expect(cells[0].attrs.fill).not.toBe(GRID_COLORS.a);
    expect(cells[0].attrs.fill).not.toBe(cells[63].attrs.fill);
    const marks = all(doc, (e) => classes(e).includes('mark'));
    expect(marks.map((m) => Number(m.attrs['data-unit']))).toEqual([0, 9, 18, 27]);
    expect(marks.every((m) => m.attrs.stroke === GRID_COLORS.a)).toBe(true);
  });

  it('describes the scene in its title by default and omits labels when asked', () => {
    const labels = Array.from({ length: 64 }, () => 'cat');
    const doc = parseXml(gridToSvg({ grid, sdr, labels }, { sdrName: 'cat', showLabels: false }));
    expect(all(doc, (e) => e.name === 'title')[0].text).toContain("SDR of 'cat': 4 of 64 units");
    expect(all(doc, (e) => e.name === 'text')).toHaveLength(0);
  });

  it('sizes the picture by the grid shape and refuses absurd sizes', () => {
    expect(exportSize({ grid: makeGrid(10, 20) }, { width: 416, padding: 8 })).toEqual([416, 216]);
    expect(() => exportSize({ grid }, { width: 5 })).toThrow(GridExportError);
    expect(() => gridToSvg({ grid }, { width: 1e6 })).toThrow(/16 to 8192/);
  });

  it('escapes all five XML specials', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;',
    );
  });
});

describe('gridToSvg with a heading, a legend and a marker (the Item view export)', () => {
  const grid = makeGrid(6, 6);
  const values = Float32Array.from({ length: 36 }, (_, i) => i / 35);
  const labels = Array.from({ length: 36 }, (_, i) => (i === 14 ? 'traffic light' : ''));
  const scene = { grid, values, domain: [0, 1] as [number, number], sdr: Uint32Array.of(7, 8) };
  const extras = {
    width: 300,
    heading: 'cat & <dog> · K = 2',
    legend: {
      title: 'U-matrix distance',
      domain: [0, 1] as [number, number],
      lowNote: 'like its neighbours',
      highNote: 'region border',
      sdrName: 'cat (active units)',
    },
    marker: 8,
  };

  it('carries the heading, the legend, the unit labels and a ring on the marked unit', () => {
    const doc = parseXml(gridToSvg({ ...scene, labels }, extras));
    const texts = all(doc, (e) => e.name === 'text').map((t) => t.text);
    expect(texts).toContain('cat & <dog> · K = 2');
    expect(texts).toContain('U-matrix distance');
    expect(texts).toContain('0 · like its neighbours');
    expect(texts).toContain('region border · 1');
    expect(texts).toContain('cat (active units)');
    expect(texts).toContain('ringed: best-matching unit');
    expect(texts).toContain('traffic light');
    const rings = all(doc, (e) => classes(e).includes('marker'));
    expect(rings.length).toBeGreaterThan(0);
    expect(rings.every((r) => r.attrs['data-unit'] === '8')).toBe(true);
  });

  it('adds room above and below the grid, and nothing without them', () => {
    const bare = parseXml(gridToSvg(scene, { width: 300 }));
    const framed = parseXml(gridToSvg(scene, extras));
    expect(Number(framed.attrs.height)).toBeGreaterThan(Number(bare.attrs.height) + 60);
    expect(all(bare, (e) => e.name === 'text')).toHaveLength(0);
    expect(all(bare, (e) => classes(e).includes('marker'))).toHaveLength(0);
    // The grid keeps its size: the same cells, moved down under the heading.
    expect(all(framed, (e) => classes(e).includes('cell'))).toHaveLength(36);
  });
});
