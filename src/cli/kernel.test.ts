import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';
import { KERNEL_OPTION, createKernelBackend, getKernel } from './kernel.ts';

const spec = { kernel: KERNEL_OPTION };

describe('getKernel', () => {
  it('is ort unless --kernel says js, and refuses any other kernel by name', () => {
    expect(getKernel(parseArgs([], spec))).toBe('ort');
    expect(getKernel(parseArgs(['--kernel', 'js'], spec))).toBe('js');
    expect(getKernel(parseArgs(['--kernel', 'ort'], spec))).toBe('ort');
    expect(() => getKernel(parseArgs(['--kernel', 'gpu'], spec))).toThrow(
      '--kernel must be one of ort, js, got "gpu"',
    );
  });
});

describe('createKernelBackend', () => {
  it('makes the backend the kernel names, and both compute the same products', async () => {
    const js = await createKernelBackend('js');
    const ort = await createKernelBackend('ort', 2);
    try {
      expect([js.name, ort.name]).toEqual(['js', 'ort-node']);
      // Rows (1, 0) and (0, 1) against units (0, 1), (1, 0), (-1, -1): A·Bᵀ.
      const a = Float32Array.of(1, 0, 0, 1);
      const b = Float32Array.of(0, 1, 1, 0, -1, -1);
      for (const backend of [js, ort]) {
        const out = new Float32Array(6);
        await backend.scores(a, 2, b, 3, 2, out);
        expect(Array.from(out)).toEqual([0, 1, -1, 1, 0, -1]);
      }
    } finally {
      await js.dispose();
      await ort.dispose();
    }
  });
  it('refuses a thread count outside 1 to 256 for ort', async () => {
    await expect(createKernelBackend('ort', 0)).rejects.toThrow(/1 to 256, got 0/);
  });
});
