/**
 * Ctrl-C on real processes (issue 12): `sdr` runs built JavaScript with no relay process, a
 * first Ctrl-C saves the map of the last finished epoch and exits 130, and a second one never
 * throws that work away. Signals go to the whole process group, as a terminal sends them.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMapFile } from '../index.ts';
import { scratchDir, writeClusters } from './testKit.ts';

const root = join(import.meta.dirname, '..', '..');
const scratch = scratchDir();
afterAll(() => scratch.remove());
const posix = process.platform !== 'win32';

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/**
 * Run `command args` in a process group of its own; after the `epoch 2/` progress line, send
 * SIGINT to the group `interrupts` times (20 ms apart); resolve when it ends.
 */
function interrupted(command: string, args: string[], interrupts: number): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }); // prettier-ignore
    let stderr = '';
    let sent = false;
    child.stdout.resume();
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && /epoch +2\//.test(stderr)) {
        sent = true;
        for (let i = 0; i < interrupts; i++) {
          setTimeout(() => process.kill(-child.pid!, 'SIGINT'), i * 20);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** Epochs the saved map ran, from its progress; the file must decode. */
function savedEpochs(file: string, stderr: string): number {
  decodeMapFile(new Uint8Array(readFileSync(file)));
  return Number(/stopped after epoch (\d+) of/.exec(stderr)?.[1]);
}

const TRAIN = ['--kernel', 'js', '--epochs', '400', '--grid', '12x12', '--holdout', '0'];

describe.runIf(posix)('Ctrl-C on the sdr command', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), '--if-stale', '--quiet']); // prettier-ignore
    writeClusters(scratch.path('e.npy'), 4000, 64);
  });

  it('one Ctrl-C with the js kernel stops between epochs, saves the partial map, exits 130', async () => {
    const out = scratch.path('one.sdrmap');
    const r = await interrupted(process.execPath, ['bin/sdr.mjs', 'train', scratch.path('e.npy'), '--out', out, ...TRAIN], 1); // prettier-ignore
    expect(r.code).toBe(130);
    const epochs = savedEpochs(out, r.stderr);
    expect(epochs).toBeGreaterThanOrEqual(2);
    expect(epochs).toBeLessThan(400);
  });

  it('a second Ctrl-C right after the first still saves what finished epochs made', async () => {
    const out = scratch.path('two.sdrmap');
    const r = await interrupted(process.execPath, ['bin/sdr.mjs', 'train', scratch.path('e.npy'), '--out', out, ...TRAIN], 2); // prettier-ignore
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/saving the map of the last finished epoch first/);
    expect(savedEpochs(out, r.stderr)).toBeGreaterThanOrEqual(2);
  });

  it('npm run sdr passes Ctrl-C to the command, which saves the partial map', async () => {
    const out = scratch.path('npm.sdrmap');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = await interrupted(npm, ['run', '--silent', 'sdr', '--', 'train', scratch.path('e.npy'), '--out', out, ...TRAIN], 1); // prettier-ignore
    // npm waits for the command, then ends itself by the same signal, as a shell expects.
    expect(r.code === 130 || r.signal === 'SIGINT').toBe(true);
    expect(r.stderr).toMatch(/wrote .*npm\.sdrmap/);
    expect(savedEpochs(out, r.stderr)).toBeGreaterThanOrEqual(2);
  });

  it('bin/sdr.mjs says how to build when the build is missing', () => {
    mkdirSync(scratch.path('pkg/bin'), { recursive: true });
    copyFileSync(join(root, 'bin', 'sdr.mjs'), scratch.path('pkg/bin/sdr.mjs'));
    let stderr = '';
    try {
      execFileSync(process.execPath, [scratch.path('pkg/bin/sdr.mjs'), 'info', 'x'], { stdio: 'pipe' }); // prettier-ignore
    } catch (e) {
      stderr = String((e as { stderr: Buffer }).stderr);
    }
    expect(stderr).toMatch(/^sdr: the command line is not built .*npm run build:cli/);
  });
});
