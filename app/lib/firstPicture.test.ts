import { describe, expect, it, vi } from 'vitest';

/** A fresh copy of the module (its "drawn" state is per page load). */
async function fresh() {
  vi.resetModules();
  return import('./firstPicture.ts');
}

describe('after the first picture', () => {
  it('runs the work only once a picture has been drawn', async () => {
    vi.useFakeTimers();
    try {
      const { afterFirstPicture, notePictureDrawn } = await fresh();
      const work = vi.fn();
      afterFirstPicture(work, 60_000);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(work).not.toHaveBeenCalled();
      notePictureDrawn();
      await vi.advanceTimersByTimeAsync(10);
      expect(work).toHaveBeenCalledTimes(1);
      // Later callers, after the picture, wait for nothing.
      const later = vi.fn();
      afterFirstPicture(later);
      await vi.advanceTimersByTimeAsync(10);
      expect(later).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs it anyway after the longest wait when no picture comes, and never once cancelled', async () => {
    vi.useFakeTimers();
    try {
      const { afterFirstPicture, notePictureDrawn } = await fresh();
      const work = vi.fn();
      const cancelled = vi.fn();
      afterFirstPicture(work, 3000);
      const cancel = afterFirstPicture(cancelled, 3000);
      cancel();
      await vi.advanceTimersByTimeAsync(2999);
      expect(work).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(10);
      expect(work).toHaveBeenCalledTimes(1);
      notePictureDrawn();
      await vi.advanceTimersByTimeAsync(10);
      expect(work).toHaveBeenCalledTimes(1);
      expect(cancelled).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});
