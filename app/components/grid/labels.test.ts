import { describe, expect, it } from 'vitest';
import { layoutCells } from './geometry.ts';
import { estimateTextWidth, labelAnchors, labelFontSize, placeLabels } from './labels.ts';
import { makeGrid, unitNeighbours } from '../../../src/index.ts';

/** Labels of a 6×6 grid split into a left half 'cat' and a right half 'dog'. */
function halves(): string[] {
  return Array.from({ length: 36 }, (_, i) => (i % 6 < 3 ? 'cat' : 'dog'));
}

describe('labelAnchors', () => {
  it('gives one anchor per connected region, inside the region, near its middle', () => {
    const grid = makeGrid(6, 6);
    const anchors = labelAnchors(grid, halves());
    expect(anchors.map((a) => a.text).sort()).toEqual(['cat', 'dog']);
    for (const a of anchors) {
      expect(a.size).toBe(18);
      const col = a.unit % 6;
      expect(a.text === 'cat' ? col < 3 : col >= 3).toBe(true);
      // A middle column of its half and a middle row.
      expect([1, 4]).toContain(col);
      expect([2, 3]).toContain(Math.floor(a.unit / 6));
    }
  });

  it('splits a label that occurs in two separate places into two regions, biggest first', () => {
    const grid = makeGrid(1, 7);
    const labels = ['a', 'a', 'b', 'a', 'a', 'a', null];
    const anchors = labelAnchors(grid, labels);
    expect(anchors).toEqual([
      { unit: 4, text: 'a', size: 3 },
      { unit: 0, text: 'a', size: 2 },
      { unit: 2, text: 'b', size: 1 },
    ]);
  });

  it('orders equal-size regions by priority and skips blank labels', () => {
    const grid = makeGrid(2, 2);
    const priority = Float32Array.of(1, 9, 5, 0);
    const anchors = labelAnchors(grid, ['w', 'x', '  ', 'z'], priority);
    expect(anchors.map((a) => a.text)).toEqual(['x', 'w', 'z']);
  });

  it('follows hex neighbours when growing regions', () => {
    // On odd-r hex, (1,0) touches (0,1) and (2,1) diagonally; on a rect grid it touches neither.
    const labels = ['-', 'r', 'r', '-', '-', 'r'];
    const hex = makeGrid(3, 2, 'hex');
    expect(unitNeighbours(hex, 2)).toEqual(expect.arrayContaining([1, 5]));
    expect(labelAnchors(hex, labels).find((a) => a.text === 'r')?.size).toBe(3);
    const rect = makeGrid(3, 2, 'rect');
    expect(labelAnchors(rect, labels).filter((a) => a.text === 'r')).toHaveLength(3);
  });

  it('refuses a label list of the wrong length', () => {
    expect(() => labelAnchors(makeGrid(2, 2), ['a'])).toThrow(/expected 4 labels/);
  });
});

describe('placeLabels', () => {
  const measure = (t: string) => estimateTextWidth(t, 12);

  it('never overlaps two labels and keeps them inside the box', () => {
    const grid = makeGrid(20, 20);
    // Every unit its own label: the densest possible case.
    const labels = Array.from({ length: 400 }, (_, i) => `unit-${i}`);
    const layout = layoutCells(grid, 300, 300);
    const placed = placeLabels(labelAnchors(grid, labels), layout, {
      fontSize: 12,
      measure,
      gap: 2,
    });
    expect(placed.length).toBeGreaterThan(5);
    expect(placed.length).toBeLessThan(400);
    for (let i = 0; i < placed.length; i++) {
      const a = placed[i];
      expect(a.x - a.width / 2).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width / 2).toBeLessThanOrEqual(300);
      for (let j = i + 1; j < placed.length; j++) {
        const b = placed[j];
        const apart =
          Math.abs(a.x - b.x) * 2 >= a.width + b.width ||
          Math.abs(a.y - b.y) * 2 >= a.height + b.height;
        expect(apart).toBe(true);
      }
    }
  });

  it('gives the space to bigger regions first', () => {
    const grid = makeGrid(6, 6);
    const labels = halves();
    labels[14] = 'tiny'; // a one-unit region in the middle of 'cat'
    const layout = layoutCells(grid, 120, 120);
    const placed = placeLabels(labelAnchors(grid, labels), layout, { fontSize: 12, measure });
    expect(placed.map((p) => p.text)).toContain('cat');
    expect(placed.map((p) => p.text)).toContain('dog');
  });

  it('shortens over-long labels with an ellipsis', () => {
    const grid = makeGrid(2, 2);
    const layout = layoutCells(grid, 400, 400);
    const long = 'a photograph of a very small orange cat sitting on a mat';
    const placed = placeLabels(labelAnchors(grid, [long, null, null, null]), layout, {
      fontSize: 12,
      measure,
      maxWidth: 60,
    });
    expect(placed[0].text.endsWith('…')).toBe(true);
    expect(placed[0].width).toBeLessThanOrEqual(60);
    expect(long.startsWith(placed[0].text.slice(0, -1))).toBe(true);
  });

  it('sizes label fonts between 10 and 13 pixels', () => {
    expect(labelFontSize(layoutCells(makeGrid(64, 64), 300, 300))).toBe(10);
    expect(labelFontSize(layoutCells(makeGrid(8, 8), 600, 600))).toBe(13);
  });
});
