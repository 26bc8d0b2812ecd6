import { describe, expect, it } from 'vitest';
import { createBenchCommand, formatSection } from './bench.ts';
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
    // The cli section spawns whole processes: its own test below.
    const run = await sdr(['bench', '--quick', '--only', 'som', '--only', 'encode', '--only', 'overlap', '--only', 'search']); // prettier-ignore
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
    // As `npm run bench` (bench/run.ts) runs it: with a browser section after the engine's.
    const commands = [createBenchCommand([{ name: 'browser', run: async () => ({ ms: 1 }) }])];
    const bad = await sdr(['bench', '--only', 'gpu'], { commands });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'sdr: --only must be one of som, encode, overlap, cli, search, browser, got "gpu"\n',
    );
    const both = await sdr(['bench', '--only', 'browser', '--no-browser'], { commands });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--no-browser and --only browser ask for opposite things/);
  });

  it('times whole sdr train processes beside numpy, with map sizes per --items choice and a streamed run', async () => {
    const r = json(await sdr(['bench', '--quick', '--only', 'cli']));
    const cli = r.cli as Record<string, Record<string, unknown>>;
    expect(typeof cli.sdrHelpMs).toBe('number');
    expect(typeof cli.ours.processMs).toBe('number');
    expect(cli.ours.phasesMs).toHaveProperty('map encode + write');
    const sizes = cli.mapBytes as unknown as Record<string, number>;
    expect(sizes.full).toBeGreaterThan(sizes.sdr);
    expect(sizes.sdr).toBeGreaterThan(sizes.none);
    const stream = cli.stream as Record<string, Record<string, unknown>>;
    expect(stream.ours.trainRowsPerSecond).toBeGreaterThan(0);
    // numpy is optional: either its figures and the ratio, or a message saying why not.
    if ('skipped' in cli.numpy) expect(cli.numpy.skipped).toMatch(/numpy/);
    else expect(typeof cli.ratioProcessOursOverNumpy).toBe('number');
  }, 300_000);
});
