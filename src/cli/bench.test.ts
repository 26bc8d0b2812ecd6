import { describe, expect, it } from 'vitest';
import { formatSection } from './bench.ts';
import { json, sdr } from './testKit.ts';

describe('formatSection', () => {
  it('flattens nested figures into aligned name/value lines', () => {
    const text = formatSection('encode', { ms: 1.5, count: 12000, memory: { rssMiB: 80 }, ok: 'yes' }); // prettier-ignore
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^── encode ─+$/);
    expect(lines.slice(1)).toEqual([
      '  ms             1.5',
      '  count          12,000',
      '  memory.rssMiB  80',
      '  ok             yes',
    ]);
  });
});

describe('sdr bench --quick', () => {
  it('runs every section side by side and reports their figures and ratios as JSON', async () => {
    // The browser section needs Chromium and minutes: bench/browser.ts runs it on its own.
    const run = await sdr(['bench', '--quick', '--no-browser']);
    expect(run.code).toBe(0);
    const r = json(run);
    expect(r.quick).toBe(true);
    expect(r.browser).toBeUndefined();
    const som = r.som as Record<string, unknown>;
    const encode = r.encode as Record<string, unknown>;
    const overlap = r.overlap as Record<string, unknown>;
    const search = r.search as Record<string, unknown>;
    for (const key of [
      'ours.ort.1worker.trainMs',
      'ours.ort.2workers.trainMs',
      'ours.js.2workers.perEpochMs',
      'peer.mlSom.epochMs',
      'ratio.speedup.2vs1workers',
      'kernel.ort.1thread.gflops',
      'peakRssMiB',
    ]) {
      // prettier-ignore
      expect(typeof som[key], key).toBe('number');
    }
    for (const key of [
      'encodeOrtMs',
      'fullSortMs',
      'topKSpeedupVsFullSort',
      'encodeSpeedupVsNaive',
    ]) {
      // prettier-ignore
      expect(typeof encode[key], key).toBe('number');
    }
    expect(encode.agree).toBe('yes');
    for (const key of ['searchMedianMs', 'bruteForceMedianMs', 'speedup']) expect(typeof overlap[key], key).toBe('number'); // prettier-ignore
    expect(overlap.resultsAgree).toBe('yes');
    for (const key of ['rerankMedianMs', 'bruteForceMedianMs', 'speedup', 'recallAt10', 'fewerDotProducts']) expect(typeof search[key], key).toBe('number'); // prettier-ignore
    for (const s of [som, encode, overlap, search]) expect(s.memoryAfter).toHaveProperty('rssMiB');
    // The table for people goes to stderr, one block per section.
    expect(run.stderr.match(/^── (som|encode|overlap|search) /gm)).toEqual(['── som ', '── encode ', '── overlap ', '── search ']); // prettier-ignore
  });
  it('runs only the sections asked for, and refuses an unknown one', async () => {
    const r = json(await sdr(['bench', '--quick', '--only', 'encode']));
    expect(Object.keys(r)).toEqual(['node', 'platform', 'quick', 'encode', 'totalSeconds']);
    const bad = await sdr(['bench', '--only', 'gpu']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'sdr: --only must be one of som, encode, overlap, search, browser, got "gpu"\n',
    );
    const both = await sdr(['bench', '--only', 'browser', '--no-browser']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--no-browser and --only browser ask for opposite things/);
  });
});
