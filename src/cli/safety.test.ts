/**
 * The command line never destroys what it reads, never hangs on a special file, and refuses a
 * run the map file would refuse before any training starts (issue 12).
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../index.ts';
import { checkOutputFile, readInputFile } from './files.ts';
import { capWorkers } from './validate.ts';
import { randomMap, scratchDir, sdr, writeClusters, writeMap, type CliRun } from './testKit.ts';

const scratch = scratchDir();
afterAll(() => scratch.remove());
const isPosix = process.platform !== 'win32';

/** A refusal: exit 2, one `sdr:` line, and no sign that training began. */
function refused(run: CliRun, pattern: RegExp): void {
  expect(run.code).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^sdr: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/epoch|training a/);
}

const TRAIN = ['--grid', '3x3', '--epochs', '1', '--kernel', 'js', '--quiet'];

describe('outputs never touch inputs', () => {
  writeClusters(scratch.path('x.npy'), 60, 8);
  const original = readFileSync(scratch.path('x.npy'));

  it('train --out onto its embeddings, a symbolic link or a hard link to them is refused', async () => {
    refused(await sdr(['train', scratch.path('x.npy'), '--out', scratch.path('x.npy'), ...TRAIN]), /is the embeddings file/); // prettier-ignore
    symlinkSync(scratch.path('x.npy'), scratch.path('sym.sdrmap'));
    refused(await sdr(['train', scratch.path('x.npy'), '--out', scratch.path('sym.sdrmap'), ...TRAIN]), /is the embeddings file/); // prettier-ignore
    linkSync(scratch.path('x.npy'), scratch.path('hard.sdrmap'));
    refused(await sdr(['train', scratch.path('x.npy'), '--out', scratch.path('hard.sdrmap'), ...TRAIN]), /is the embeddings file/); // prettier-ignore
    expect(readFileSync(scratch.path('x.npy')).equals(original)).toBe(true);
  });

  it('train --out onto its labels file is refused', async () => {
    writeFileSync(scratch.path('L.txt'), Array.from({ length: 60 }, (_, i) => `l${i}`).join('\n'));
    refused(await sdr(['train', scratch.path('x.npy'), '--labels', scratch.path('L.txt'), '--out', scratch.path('L.txt'), ...TRAIN]), /is the labels file/); // prettier-ignore
    expect(readFileSync(scratch.path('L.txt'), 'utf8')).toMatch(/^l0\n/);
  });

  it('encode --out onto its embeddings, its labels or its map is refused', async () => {
    writeMap(scratch.path('m.sdrmap'), randomMap(2));
    writeFileSync(scratch.path('e.csv'), 'a,b\n1,2\n3,4\n');
    writeFileSync(scratch.path('el.txt'), 'x\ny\n');
    const before = readFileSync(scratch.path('e.csv'), 'utf8');
    refused(await sdr(['encode', scratch.path('m.sdrmap'), scratch.path('e.csv'), '--out', scratch.path('e.csv')]), /is the embeddings file/); // prettier-ignore
    linkSync(scratch.path('el.txt'), scratch.path('el.csv'));
    refused(await sdr(['encode', scratch.path('m.sdrmap'), scratch.path('e.csv'), '--labels', scratch.path('el.txt'), '--out', scratch.path('el.csv')]), /is the labels file/); // prettier-ignore
    expect(readFileSync(scratch.path('e.csv'), 'utf8')).toBe(before);
  });

  it('checkOutputFile refuses an output that is one of the inputs by its real path', async () => {
    mkdirSync(scratch.path('sub'));
    const p = checkOutputFile(scratch.path('sub/../x.npy'), '--out', [{ path: scratch.path('x.npy'), what: 'embeddings file' }]); // prettier-ignore
    await expect(p).rejects.toThrow(/would destroy the input/);
  });
});

describe('sdr encode --out x.csv', () => {
  it('writes a label that would be a spreadsheet formula as text', async () => {
    writeMap(scratch.path('f.sdrmap'), randomMap(2));
    writeFileSync(scratch.path('f.csv'), 'label,a,b\n"=HYPERLINK(""http://evil"",""x"")",1,2\n');
    const run = await sdr(['encode', scratch.path('f.sdrmap'), scratch.path('f.csv'), '--out', scratch.path('f-out.csv')]); // prettier-ignore
    expect(run.code).toBe(0);
    const row = readFileSync(scratch.path('f-out.csv'), 'utf8').split('\n')[1];
    expect(row).toMatch(/^0,"'=HYPERLINK\(""http:\/\/evil"",""x""\)",/);
  });
});

describe('inputs are regular files', () => {
  it.runIf(isPosix)('a FIFO with no writer is refused at once, not waited on', async () => {
    execFileSync('mkfifo', [scratch.path('pipe.npy')]);
    refused(await sdr(['train', scratch.path('pipe.npy'), '--out', scratch.path('p.sdrmap'), ...TRAIN]), /FIFO/); // prettier-ignore
    refused(await sdr(['info', scratch.path('pipe.npy')]), /FIFO/);
  });

  it.runIf(isPosix)('devices such as /dev/zero and /dev/urandom are refused', async () => {
    refused(await sdr(['info', '/dev/zero']), /\/dev\/zero is a device/);
    writeClusters(scratch.path('y.npy'), 60, 8);
    refused(await sdr(['train', scratch.path('y.npy'), '--labels', '/dev/urandom', '--out', scratch.path('u.sdrmap'), ...TRAIN]), /labels file \/dev\/urandom is a device/); // prettier-ignore
  });

  it.runIf(process.platform === 'linux')('a file that grows while read is refused', async () => {
    // /proc files say size 0, then give bytes: exactly a file that grew after its size was taken.
    await expect(readInputFile('/proc/self/status', 'labels file')).rejects.toThrow(
      /labels file \/proc\/self\/status grew while it was read/,
    );
  });

  it('a file over the size limit is refused without reading it', async () => {
    writeFileSync(scratch.path('big.bin'), new Uint8Array(2048));
    await expect(readInputFile(scratch.path('big.bin'), 'map', 1024)).rejects.toThrow(
      /map .*big\.bin is 2,048 bytes, over the 1,024 bytes limit/,
    );
  });

  it('reads a file larger than one chunk whole', async () => {
    const bytes = new Uint8Array(3 * 2 ** 20 + 5).map((_, i) => i & 0xff);
    writeFileSync(scratch.path('chunks.bin'), bytes);
    const read = await readInputFile(scratch.path('chunks.bin'), 'file');
    // Buffer.equals: a deep toEqual over 3 million bytes takes half a minute.
    expect(Buffer.from(read).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('train refuses, before training, what the map file would refuse after it', () => {
  writeClusters(scratch.path('t.npy'), 60, 8);
  const t = scratch.path('t.npy');

  it('an empty --out, a folder, a missing folder, an unwritable folder, a name over 255 bytes', async () => {
    refused(await sdr(['train', t, '--out', '', ...TRAIN]), /--out needs a file name/);
    mkdirSync(scratch.path('dir.sdrmap'));
    refused(await sdr(['train', t, '--out', scratch.path('dir.sdrmap'), ...TRAIN]), /it is a folder/); // prettier-ignore
    refused(await sdr(['train', t, '--out', scratch.path('none/m.sdrmap'), ...TRAIN]), /does not exist/); // prettier-ignore
    refused(await sdr(['train', t, '--out', scratch.path(`${'n'.repeat(250)}.sdrmap`), ...TRAIN]), /over 255 bytes/); // prettier-ignore
    if (isPosix && process.getuid?.() !== 0) {
      mkdirSync(scratch.path('ro'));
      chmodSync(scratch.path('ro'), 0o555);
      refused(await sdr(['train', t, '--out', scratch.path('ro/m.sdrmap'), ...TRAIN]), /not writable/); // prettier-ignore
      chmodSync(scratch.path('ro'), 0o755);
    }
  });

  it('a 251-character output name works: the temporary name is short', async () => {
    const out = scratch.path(`${'n'.repeat(244)}.sdrmap`);
    const run = await sdr(['train', t, '--out', out, ...TRAIN]);
    expect(run.code).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(0);
  });

  it('a bad --name or --model (control character, bidirectional override, too long)', async () => {
    const out = scratch.path('n.sdrmap');
    refused(await sdr(['train', t, '--out', out, '--name', 'a\tb', ...TRAIN]), /--name holds control character U\+0009/); // prettier-ignore
    refused(await sdr(['train', t, '--out', out, '--name', 'x\u202Eyz', ...TRAIN]), /--name holds a bidirectional/); // prettier-ignore
    refused(await sdr(['train', t, '--out', out, '--name', 'n'.repeat(201), ...TRAIN]), /--name must be 1 to 200/); // prettier-ignore
    refused(await sdr(['train', t, '--out', out, '--model', 'm\u0000', ...TRAIN]), /--model holds control/); // prettier-ignore
  });

  it('a dimension over the map limit (8,704) is refused before training', async () => {
    writeFileSync(
      scratch.path('wide.npy'),
      writeNpy(new Float32Array(2 * 8704).fill(1), [2, 8704]),
    );
    refused(await sdr(['train', scratch.path('wide.npy'), '--out', scratch.path('w.sdrmap'), ...TRAIN]), /dimension 8,704; a map holds at most 8,192/); // prettier-ignore
  });

  it('labels with tabs, control characters and 10 MB of text are cleaned and the map is written', async () => {
    const labels = Array.from({ length: 60 }, (_, i) => `l\t${i}\u0001\u202E`);
    labels[5] = 'x'.repeat(10_000_000);
    writeFileSync(scratch.path('bad.txt'), labels.join('\n'));
    const run = await sdr(['train', t, '--labels', scratch.path('bad.txt'), '--out', scratch.path('l.sdrmap'), ...TRAIN]); // prettier-ignore
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const info = await sdr(['info', scratch.path('l.sdrmap')]);
    expect(info.code).toBe(0);
  });
});

describe('capWorkers', () => {
  it('caps at the cores with a note, and leaves a count within them alone', () => {
    const notes: string[] = [];
    expect(capWorkers(64, (l) => notes.push(l), 2)).toBe(2);
    expect(notes.join('')).toMatch(/--workers 64 is more than this machine's 2 cores; using 2/);
    expect(capWorkers(2, (l) => notes.push(l), 4)).toBe(2);
    expect(notes).toHaveLength(1);
  });
});

describe('sdr embed with a model folder that lacks the model', () => {
  it('says which files it looked for, not a property of undefined', async () => {
    mkdirSync(scratch.path('models'));
    const run = await sdr(['embed', '--text', 'hi', '--out', scratch.path('t.npy'), '--model-dir', scratch.path('models')]); // prettier-ignore
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^sdr: Could not load the text tower of "[^"]+" from .*models\/: no model files there \(expected config\.json/); // prettier-ignore
    expect(run.stderr).not.toMatch(/undefined/);
  });
});
