import { describe, expect, it } from 'vitest';
import { createJsBackend, type MatmulBackend } from './backend.ts';
import { createKernelSlot, serialisedKernel } from './kernelSlot.ts';

/** A backend whose scores() takes (5 − n) ms and logs when each call starts and ends. */
function slowBackend(log: string[], onDispose: () => void): MatmulBackend {
  return {
    name: 'slow',
    acceptsShared: true,
    bestTwo: async () => {},
    scores: async (_a, n) => {
      log.push(`start ${n}`);
      await new Promise((resolve) => setTimeout(resolve, 5 - n));
      log.push(`end ${n}`);
    },
    dispose: async () => onDispose(),
  };
}

describe('serialisedKernel', () => {
  it('runs one product at a time, in call order, and keeps the kernel on dispose', async () => {
    const log: string[] = [];
    let disposed = false;
    const shared = serialisedKernel(slowBackend(log, () => (disposed = true)));
    const out = new Float32Array(4);
    await Promise.all([1, 2, 3].map((k) => shared.scores(out, k, out, 1, 1, out)));
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    await shared.dispose();
    expect(disposed).toBe(false);
  });

  it('goes on with the next call after one fails', async () => {
    const inner = createJsBackend();
    let calls = 0;
    const shared = serialisedKernel({
      ...inner,
      scores: async (...args) => {
        if (++calls === 1) throw new Error('first call fails');
        return inner.scores(...args);
      },
    });
    const a = new Float32Array([1, 2]);
    const out = new Float32Array(1);
    const first = shared.scores(a, 1, a, 1, 2, out);
    const second = shared.scores(a, 1, a, 1, 2, out);
    await expect(first).rejects.toThrow('first call fails');
    await second;
    expect(out[0]).toBe(5);
  });
});

describe('createKernelSlot', () => {
  it('starts the kernel once, at the first use', async () => {
    let starts = 0;
    const slot = createKernelSlot(async () => {
      starts++;
      return { ...createJsBackend(), name: 'fast' };
    });
    expect(starts).toBe(0);
    const [a, b] = await Promise.all([slot.get(), slot.get()]);
    expect(starts).toBe(1);
    expect(a.backend).toBe(b.backend);
    expect(a).toMatchObject({ fallback: null });
    expect(a.backend.name).toBe('fast');
  });

  it('holds the JS kernel and the reason when the fast one cannot start', async () => {
    const slot = createKernelSlot(() => Promise.reject(new Error('no SIMD')));
    const started = await slot.get();
    expect(started.backend).toBe(slot.js);
    expect(started.backend.name).toBe('js');
    expect(started.fallback).toMatch(/could not start \(no SIMD\).*JavaScript kernel/);
  });

  it('holds the JS kernel, without a reason, when no fast one is asked for', async () => {
    const slot = createKernelSlot();
    expect(await slot.get()).toEqual({ backend: slot.js, fallback: null });
  });
});
