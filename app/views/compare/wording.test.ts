import { describe, expect, it } from 'vitest';
import {
  compareLine,
  dispersionPhrase,
  floorPercent,
  median,
  noveltyLine,
  noveltyPhrase,
  shareBelow,
  spreadLine,
} from './wording.ts';

describe('floorPercent', () => {
  it('never rounds a share up', () => {
    expect(floorPercent(93.7)).toBe('93%');
    expect(floorPercent(98.99)).toBe('98%');
    expect(floorPercent(99.96)).toBe('99.9%');
    expect(floorPercent(0.4)).toBe('0%');
    expect(floorPercent(100)).toBe('100%');
    expect(floorPercent(NaN)).toBe('n/a');
  });
});

describe('novelty in words', () => {
  it('says how many training inputs the item is more unusual than', () => {
    expect(noveltyPhrase(93.4)).toBe("more unusual than 93% of the map's training inputs");
    expect(noveltyPhrase(100)).toMatch(/every one/);
    expect(noveltyPhrase(NaN)).toMatch(/no calibration/);
  });

  it('calls an item novel only from the 99th percentile, unusual from the 90th', () => {
    expect(noveltyLine(99.5)).toBe('novel: farther from the map than 99.5% of training inputs');
    expect(noveltyLine(100)).toBe('novel: farther from the map than all training inputs');
    expect(noveltyLine(95.2)).toBe('unusual: farther from the map than 95% of training inputs');
    expect(noveltyLine(98.9)).toMatch(/^unusual/);
    expect(noveltyLine(42.4)).toBe(
      'familiar: as close to the map as most training inputs (percentile 42)',
    );
    expect(noveltyLine(NaN)).toMatch(/unknown/);
  });
});

describe('spread in words', () => {
  // 20 single items: 2 with one cluster, 8 with two, 8 with three, 2 with four.
  const reference = Uint16Array.from([1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4]);

  it('calls one cluster tight', () => {
    expect(spreadLine(1, reference)).toBe('one tight cluster');
  });

  it('compares the cluster count with single items only when it exceeds at least half of them', () => {
    expect(spreadLine(4, reference)).toBe('spread over 4 clusters: more than 90% of single items');
    expect(spreadLine(3, reference)).toBe('spread over 3 clusters: more than 50% of single items');
    expect(spreadLine(2, reference)).toBe(
      'spread over 2 clusters, as is common for single items (median 2.5)',
    );
  });

  it('counts instead of giving percentages of a few single items, and never says "more than 100%"', () => {
    const few = Uint16Array.from([1, 2, 2, 3, 3, 4]);
    expect(spreadLine(3, few)).toBe('spread over 3 clusters: more than 3 of your 6 single items');
    expect(spreadLine(5, few)).toBe('spread over 5 clusters: more than any of your 6 single items');
    expect(spreadLine(9, reference)).toBe(
      'spread over 9 clusters: more than any of your 20 single items',
    );
  });

  it('makes no comparison without enough single items', () => {
    expect(spreadLine(5, Uint16Array.from([1, 2]))).toBe('spread over 5 clusters');
    expect(spreadLine(5, null)).toBe('spread over 5 clusters');
  });

  it('joins spread and novelty in one line', () => {
    expect(compareLine(1, 99.2, reference)).toBe(
      'one tight cluster; novel: farther from the map than 99.2% of training inputs',
    );
  });

  it('states dispersion relative to a random SDR', () => {
    expect(dispersionPhrase(0.4231)).toBe("0.42× a random SDR's spread");
  });
});

describe('shareBelow and median', () => {
  it('count strictly smaller values and take the middle', () => {
    const s = [1, 2, 2, 3];
    expect(shareBelow(s, 2)).toBe(25);
    expect(shareBelow(s, 4)).toBe(100);
    expect(shareBelow(s, 0)).toBe(0);
    expect(median(s)).toBe(2);
    expect(median([1, 2, 3])).toBe(2);
    expect(median([])).toBeNaN();
  });
});
