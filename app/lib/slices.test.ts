import { describe, expect, it } from 'vitest';
import { runSliced } from './slices.ts';

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('runSliced', () => {
  it('runs every step once, in order, and lets other tasks run between slices', async () => {
    const seen: [number, number][] = [];
    let others = 0;
    let counting = true;
    void (async () => {
      while (counting) {
        await turn();
        others++;
      }
    })();
    const busy = (ms: number) => {
      const t0 = performance.now();
      while (performance.now() - t0 < ms);
    };
    const done = await runSliced(
      10,
      3,
      (start, end) => {
        seen.push([start, end]);
        busy(2);
      },
      { sliceMs: 1 },
    );
    counting = false;
    expect(done).toBe(true);
    expect(seen).toEqual([
      [0, 3],
      [3, 6],
      [6, 9],
      [9, 10],
    ]);
    expect(others).toBeGreaterThanOrEqual(3); // a hand-back after each slice of 2 ms
  });

  it('stops at a hand-back once no longer wanted, running nothing more', async () => {
    const seen: number[] = [];
    let wanted = true;
    const done = await runSliced(
      100,
      1,
      (start) => {
        seen.push(start);
        wanted = false;
        const t0 = performance.now();
        while (performance.now() - t0 < 2);
      },
      { sliceMs: 1, isWanted: () => wanted },
    );
    expect(done).toBe(false);
    expect(seen).toEqual([0]);
  });

  it('runs nothing for no work', async () => {
    expect(await runSliced(0, 5, () => expect.unreachable())).toBe(true);
  });
});
