import { describe, expect, it } from 'vitest';
import { createEncodeScheduler, type EncodeTask } from './encodeScheduler.ts';

/** A task over a plain value, with replies the test releases by hand. */
function harness() {
  const state = { value: 1 as number | null, shown: null as number | null, busy: false };
  const pending: Array<{ job: number; resolve: (r: number) => void }> = [];
  const task: EncodeTask<number, number> = {
    read: () => state.value,
    encode: (job) => new Promise((resolve) => pending.push({ job, resolve })),
    onBusy: () => void (state.busy = true),
    onNothing: () => void (state.shown = null),
    onResult: (_job, result) => {
      state.shown = result;
      state.busy = false;
    },
    onError: () => void (state.busy = false),
  };
  return { state, pending, task };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('encode scheduler', () => {
  it('runs one job at a time and collapses requests made meanwhile into one re-run', async () => {
    const { state, pending, task } = harness();
    const scheduler = createEncodeScheduler<number, number>();
    scheduler.refresh(task);
    state.value = 2;
    scheduler.refresh(task);
    state.value = 3;
    scheduler.refresh(task);
    expect(pending.map((p) => p.job)).toEqual([1]);
    pending[0].resolve(10); // stale: dropped, and one re-run at the latest value
    await settle();
    expect(state.shown).toBeNull();
    expect(pending.map((p) => p.job)).toEqual([1, 3]);
    pending[1].resolve(30);
    await settle();
    expect(state.shown).toBe(30);
  });

  it('reset drops the reply in flight and lets a new request start at once', async () => {
    const { state, pending, task } = harness();
    const scheduler = createEncodeScheduler<number, number>();
    scheduler.refresh(task);
    scheduler.reset();
    state.value = 7;
    scheduler.refresh(task); // not held back by the flight before the reset
    expect(pending.map((p) => p.job)).toEqual([1, 7]);
    pending[0].resolve(10);
    await settle();
    expect(state.shown).toBeNull();
    pending[1].resolve(70);
    await settle();
    expect(state.shown).toBe(70);
    expect(pending).toHaveLength(2); // the old flight's end started no re-run
  });
});
