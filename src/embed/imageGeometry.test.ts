import { describe, expect, it } from 'vitest';
import { fitLongestSide, fitShortestSide, orientedSize } from './imageGeometry.ts';

describe('image geometry', () => {
  it('swaps sides for the quarter-turn EXIF orientations only', () => {
    for (const o of [1, 2, 3, 4])
      expect(orientedSize(400, 300, o)).toEqual({ width: 400, height: 300 });
    for (const o of [5, 6, 7, 8])
      expect(orientedSize(400, 300, o)).toEqual({ width: 300, height: 400 });
  });

  it('brings the shorter side to the target and keeps the aspect ratio', () => {
    expect(fitShortestSide({ width: 4000, height: 3000 }, 224)).toEqual({
      width: 299,
      height: 224,
    });
    expect(fitShortestSide({ width: 3000, height: 4000 }, 224)).toEqual({
      width: 224,
      height: 299,
    });
  });

  it('never enlarges small images', () => {
    expect(fitShortestSide({ width: 100, height: 50 }, 224)).toEqual({ width: 100, height: 50 });
    expect(fitLongestSide({ width: 60, height: 40 }, 96)).toEqual({ width: 60, height: 40 });
  });

  it('keeps extreme panoramas at least one pixel tall', () => {
    expect(fitLongestSide({ width: 100000, height: 10 }, 96)).toEqual({ width: 96, height: 1 });
  });
});
