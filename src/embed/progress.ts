/**
 * Folds transformers.js's per-file progress events into one figure (bytes done of bytes known)
 * with per-file detail. The total grows as files announce their sizes; a file that finishes
 * without ever reporting a size counts as done with 0 bytes.
 */
import type { FileProgress, LoadProgress } from './types.ts';

/** The subset of transformers.js's ProgressInfo this tracker reads. */
export interface ProgressEvent {
  readonly status: string;
  readonly file?: string;
  readonly loaded?: number;
  readonly total?: number;
}

export class LoadProgressTracker {
  private readonly files = new Map<string, { loaded: number; total: number; done: boolean }>();
  private readonly modelId: string;

  constructor(modelId: string) {
    this.modelId = modelId;
  }

  /** Feed one event; returns true when the snapshot changed. */
  update(event: ProgressEvent): boolean {
    const file = event.file;
    if (!file) return false; // 'ready' and aggregate events carry no file
    const entry = this.files.get(file) ?? { loaded: 0, total: 0, done: false };
    switch (event.status) {
      case 'initiate':
      case 'download':
        if (!this.files.has(file)) this.files.set(file, entry);
        return true;
      case 'progress': {
        const total = Number.isFinite(event.total) ? Math.max(0, event.total ?? 0) : 0;
        const loaded = Number.isFinite(event.loaded) ? Math.max(0, event.loaded ?? 0) : 0;
        entry.total = Math.max(entry.total, total, loaded);
        // A file read twice (from cache after a download) never makes the bar go backwards.
        entry.loaded = Math.max(entry.loaded, Math.min(loaded, entry.total));
        this.files.set(file, entry);
        return true;
      }
      case 'done':
        entry.done = true;
        entry.loaded = entry.total;
        this.files.set(file, entry);
        return true;
      default:
        return false;
    }
  }

  snapshot(): LoadProgress {
    let loaded = 0;
    let total = 0;
    const files: FileProgress[] = [];
    for (const [file, f] of this.files) {
      loaded += f.loaded;
      total += f.total;
      files.push({ file, loaded: f.loaded, total: f.total, done: f.done });
    }
    return { modelId: this.modelId, loaded, total, files };
  }
}
