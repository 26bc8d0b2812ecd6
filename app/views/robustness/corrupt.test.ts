import { beforeAll, describe, expect, it } from 'vitest';
import { smallTrainedMap, type TestMap } from '../../../src/eval/testKit.ts';
import {
  corruptItem,
  corruptSdr,
  flipProbability,
  noiseFromSettings,
  settingsFromNoise,
} from './corrupt.ts';
import { sdrFromSorted, type SDR, createRng } from '../../../src/index.ts';

let t: TestMap;
let target: { som: TestMap['som']; calibration: null };
const item = 7;
let clean: SDR;
let row: Float32Array;

beforeAll(async () => {
  t = await smallTrainedMap(6);
  target = { som: t.som, calibration: null };
  clean = sdrFromSorted(t.som.grid, t.active.subarray(item * t.k, (item + 1) * t.k));
  row = t.data.slice(item * t.d, (item + 1) * t.d);
});

describe('corruptItem', () => {
  it('leaves the SDR alone at zero noise', () => {
    const r = corruptItem(target, row, clean, t.k, {
      kind: 'move',
      level: 0,
      embeddingLevel: 0,
      seed: 1,
    });
    expect(r.overlap).toBe(t.k);
    expect(Array.from(r.sdr.active)).toEqual(Array.from(clean.active));
  });

  it('keeps exactly K − round(ε·K) cells under move and drop noise', () => {
    for (const kind of ['move', 'drop'] as const) {
      const r = corruptItem(target, row, clean, t.k, {
        kind,
        level: 0.5,
        embeddingLevel: 0,
        seed: 2,
      });
      expect(r.overlap).toBe(t.k - 3);
      expect(r.sdr.active.length).toBe(kind === 'move' ? t.k : t.k - 3);
    }
  });

  it('lowers the overlap as the slider goes up, and repeats with a seed', () => {
    const at = (level: number) =>
      corruptItem(target, row, clean, t.k, { kind: 'move', level, embeddingLevel: 0, seed: 9 });
    expect(at(0.2).overlap).toBeGreaterThan(at(0.5).overlap);
    expect(Array.from(at(0.5).sdr.active)).toEqual(Array.from(at(0.5).sdr.active));
  });

  it('re-encodes a noisy embedding, with its own seed stream', () => {
    const noisy = corruptItem(target, row, clean, t.k, {
      kind: 'move',
      level: 0,
      embeddingLevel: 0.5,
      seed: 4,
    });
    // Cosine 0.5 to the original moves the code on the map: some cells change.
    expect(noisy.overlap).toBeLessThan(t.k);
    expect(noisy.sdr.active.length).toBe(t.k);
    const both = corruptItem(target, row, clean, t.k, {
      kind: 'drop',
      level: 0.5,
      embeddingLevel: 0.5,
      seed: 4,
    });
    // The bit noise applies to the re-encoded code, which the embedding draw fixed.
    expect(Array.from(both.reencoded.active)).toEqual(Array.from(noisy.sdr.active));
    expect(both.sdr.active.length).toBe(t.k - 3);
  });

  it('refuses an embedding of the wrong size', () => {
    expect(() =>
      corruptItem(target, row.subarray(1), clean, t.k, {
        kind: 'move',
        level: 0.1,
        embeddingLevel: 0.1,
        seed: 1,
      }),
    ).toThrow(/the map expects 24/);
  });
});

describe('flip noise in the lab', () => {
  it('flips ε·K cells of the grid on average', () => {
    expect(flipProbability(0.5, 20, 1024)).toBeCloseTo(10 / 1024, 12);
    expect(flipProbability(1, 400, 100)).toBe(1);
    let flipped = 0;
    const rng = createRng(3);
    for (let i = 0; i < 200; i++) {
      const noisy = corruptSdr(clean, 'flip', 0.5, rng);
      const a = new Set(clean.active);
      const b = new Set(noisy.active);
      for (const u of a) if (!b.has(u)) flipped++;
      for (const u of b) if (!a.has(u)) flipped++;
    }
    // Expected 0.5·6 = 3 flips per draw; the mean of 200 draws sits well within 2.5..3.5.
    expect(flipped / 200).toBeGreaterThan(2.5);
    expect(flipped / 200).toBeLessThan(3.5);
  });
});

describe('noise levels in share links', () => {
  it('round-trips the lab settings through the link’s noise levels', () => {
    const s = { kind: 'drop', level: 0.3, embeddingLevel: 0.1, seed: 7 } as const;
    const noise = noiseFromSettings(s);
    expect(noise).toEqual({ move: 0, drop: 0.3, flip: 0, embed: 0.1 });
    expect(settingsFromNoise(noise, 'move', 7)).toEqual(s);
  });
  it('keeps the chosen kind while every bit level is 0', () => {
    const zero = { move: 0, drop: 0, flip: 0, embed: 0 };
    expect(settingsFromNoise(zero, 'flip', 1)).toEqual({
      kind: 'flip',
      level: 0,
      embeddingLevel: 0,
      seed: 1,
    });
  });
  it('opens a link that sets flip noise on the flip kind', () => {
    const s = settingsFromNoise({ move: 0, drop: 0, flip: 0.2, embed: 0 }, 'move', 1);
    expect(s.kind).toBe('flip');
    expect(s.level).toBe(0.2);
  });
});
