import { describe, expect, it } from 'vitest';
import { LoadProgressTracker } from './progress.ts';

describe('LoadProgressTracker', () => {
  it('sums bytes over files into one figure, with per-file detail', () => {
    const t = new LoadProgressTracker('m');
    t.update({ status: 'initiate', file: 'config.json' });
    t.update({ status: 'progress', file: 'config.json', loaded: 100, total: 100 });
    t.update({ status: 'done', file: 'config.json' });
    t.update({ status: 'initiate', file: 'onnx/text_model.onnx' });
    t.update({ status: 'progress', file: 'onnx/text_model.onnx', loaded: 250, total: 1000 });
    const p = t.snapshot();
    expect(p).toMatchObject({ modelId: 'm', loaded: 350, total: 1100 });
    expect(p.files).toEqual([
      { file: 'config.json', loaded: 100, total: 100, done: true },
      { file: 'onnx/text_model.onnx', loaded: 250, total: 1000, done: false },
    ]);
  });

  it('never lets the bar go backwards when a file is read again', () => {
    const t = new LoadProgressTracker('m');
    t.update({ status: 'progress', file: 'a', loaded: 800, total: 1000 });
    t.update({ status: 'progress', file: 'a', loaded: 10, total: 1000 });
    expect(t.snapshot().loaded).toBe(800);
  });

  it('counts a finished file as complete even without a final progress event', () => {
    const t = new LoadProgressTracker('m');
    t.update({ status: 'progress', file: 'a', loaded: 10, total: 40 });
    t.update({ status: 'done', file: 'a' });
    expect(t.snapshot()).toMatchObject({ loaded: 40, total: 40 });
  });

  it('ignores events without a file and garbage numbers', () => {
    const t = new LoadProgressTracker('m');
    expect(t.update({ status: 'ready' })).toBe(false);
    t.update({ status: 'progress', file: 'a', loaded: NaN, total: -5 });
    expect(t.snapshot()).toMatchObject({ loaded: 0, total: 0 });
  });
});
