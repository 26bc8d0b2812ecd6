import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeNpy } from '../index.ts';
import { CliError } from './args.ts';
import { COMMANDS, reportError } from './main.ts';
import { randomMap, scratchDir, sdr, writeClusters, writeGaussian, writeMap } from './testKit.ts';

const scratch = scratchDir();
afterAll(() => scratch.remove());
const p = scratch.path;

function capture() {
  let err = '';
  return { io: { stdout: () => undefined, stderr: (s: string) => void (err += s) }, err: () => err }; // prettier-ignore
}

describe('sdr with no command or --help', () => {
  it('lists every command; a bare `sdr` is a usage error on stderr', async () => {
    const help = await sdr(['--help']);
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^  ${c.name} +\\S`, 'm'));
    const bare = await sdr([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toMatch(/^usage: sdr <command>/);
  });
  it('shows a command’s options with `sdr help <command>` and `sdr <command> --help`', async () => {
    const a = await sdr(['help', 'train']);
    const b = await sdr(['train', '--help']);
    expect(a).toEqual(b);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^usage: sdr train/);
    expect(a.stdout).toMatch(/--radius-end VALUE/);
  });
});

describe('bad input: one line on stderr, exit code 2', () => {
  // Every case a person can cause; each must end as exactly one `sdr: …` line, no stack.
  writeClusters(p('ok16.npy'), 30, 16);
  writeFileSync(p('empty.npy'), new Uint8Array(0));
  writeFileSync(p('cube.npy'), writeNpy(new Float32Array(8), [2, 2, 2]));
  writeGaussian(p('flat.npy'), 1, 16);
  const withNan = new Float32Array(3 * 4).fill(0.5);
  withNan[6] = NaN;
  writeFileSync(p('nan.npy'), writeNpy(withNan, [3, 4]));
  const ints = writeNpy(new Float32Array(6), [2, 3]);
  const at = Buffer.from(ints).indexOf('<f4');
  ints.set(new TextEncoder().encode('<i4'), at);
  writeFileSync(p('ints.npy'), ints);
  writeGaussian(p('d384.npy'), 4, 384);
  writeMap(p('m16.sdrmap'), randomMap(16, 3));
  const map512 = writeMap(p('m512.sdrmap'), randomMap(512, 3));
  const corrupt = map512.slice();
  corrupt[map512.length - 100] ^= 0x55;
  writeFileSync(p('corrupt.sdrmap'), corrupt);
  writeFileSync(p('notamap.sdrmap'), 'hello, I am text');
  writeFileSync(p('labels-2.txt'), 'a\nb\n');

  const cases: [string, string[], RegExp][] = [
    ['missing file', ['train', p('nope.npy'), '--out', p('x.sdrmap')], /embeddings file not found: .*nope\.npy\n$/], // prettier-ignore
    ['empty file', ['train', p('empty.npy'), '--out', p('x.sdrmap')], /empty\.npy is empty\n$/],
    ['3-D array', ['train', p('cube.npy'), '--out', p('x.sdrmap')], /expected a 2-D array.*got shape \(2, 2, 2\)/], // prettier-ignore
    ['1-D array', ['train', p('flat.npy'), '--out', p('x.sdrmap')], /a 1-D array is read as one embedding/], // prettier-ignore
    ['NaN in embeddings', ['train', p('nan.npy'), '--out', p('x.sdrmap')], /row 2 holds NaN at column 3/], // prettier-ignore
    ['unknown dtype', ['train', p('ints.npy'), '--out', p('x.sdrmap')], /ints\.npy: unsupported dtype '<i4'/], // prettier-ignore
    ['map of another dimension', ['encode', p('m512.sdrmap'), p('d384.npy')], /map has dimension 512 but the embeddings have 384/], // prettier-ignore
    ['same, for eval', ['eval', p('m512.sdrmap'), p('d384.npy')], /map has dimension 512 but the embeddings have 384/], // prettier-ignore
    ['corrupt map', ['info', p('corrupt.sdrmap')], /corrupt\.sdrmap: .*(damaged|CRC|checksum)/i],
    ['not a map', ['info', p('notamap.sdrmap')], /not an SDR Explorer map/],
    ['missing map', ['encode', p('none.sdrmap'), p('ok16.npy')], /map not found/],
    ['bad --grid', ['train', p('ok16.npy'), '--grid', '32by32', '--out', p('x.sdrmap')], /--grid: grid must look like 32x32, got "32by32"/], // prettier-ignore
    ['unknown option', ['train', p('ok16.npy'), '--grdi', '8x8'], /unknown option --grdi/],
    ['unknown command', ['trian'], /unknown command "trian"/],
    ['labels that do not match', ['train', p('ok16.npy'), '--labels', p('labels-2.txt'), '--out', p('x.sdrmap')], /has 2 labels but .* has 30 rows/], // prettier-ignore
    ['K larger than the map', ['encode', p('m16.sdrmap'), p('ok16.npy'), '--k', '10'], /--k: k must be an integer from 1 to 9/], // prettier-ignore
    ['output folder missing', ['train', p('ok16.npy'), '--out', p('no/such.sdrmap')], /the folder .*no does not exist/], // prettier-ignore
    ['unknown output format', ['encode', p('m16.sdrmap'), p('ok16.npy'), '--out', p('x.xml')], /unknown format "\.xml"/], // prettier-ignore
    ['radius end above start', ['train', p('ok16.npy'), '--grid', '4x4', '--radius-start', '1', '--radius-end', '3', '--out', p('x.sdrmap')], /radiusEnd \(3\) must not exceed radiusStart \(1\)/], // prettier-ignore
  ];
  for (const [name, argv, message] of cases) {
    it(name, async () => {
      const run = await sdr(argv);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^sdr: [^\n]+\n$/);
      expect(run.stderr).toMatch(message);
      expect(run.code).toBe(2);
    });
  }
});

describe('reportError', () => {
  afterEach(() => {
    delete process.env.SDR_DEBUG;
  });
  it('reports an unexpected error in one line with exit code 1, the stack only with SDR_DEBUG=1', () => {
    const quiet = capture();
    expect(reportError(new TypeError('x is undefined\n  at somewhere'), quiet.io)).toBe(1);
    expect(quiet.err()).toBe('sdr: unexpected error: x is undefined at somewhere (set SDR_DEBUG=1 for details)\n'); // prettier-ignore
    process.env.SDR_DEBUG = '1';
    const loud = capture();
    reportError(new TypeError('boom'), loud.io);
    expect(loud.err()).toMatch(/^sdr: unexpected error: boom\nTypeError: boom\n\s+at /);
  });
  it('keeps the exit code a CliError carries', () => {
    const c = capture();
    expect(reportError(new CliError('stopped', 130), c.io)).toBe(130);
    expect(c.err()).toBe('sdr: stopped\n');
  });
});
