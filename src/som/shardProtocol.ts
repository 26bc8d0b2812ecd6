/**
 * Messages between a shard pool and its workers (Node worker_threads or browser module
 * workers; both speak this). Every request carries an id its reply repeats.
 */
import type { Grid } from '../grid/grid.ts';
import type { ShardPartial } from './shard.ts';

export type ShardRequest =
  /** Take these rows (a view of shared memory, or a transferred private copy). */
  | { type: 'load'; id: number; data: Float32Array; rows: number; d: number }
  /** One map step against this codebook (m·d) with bias −½‖w_j‖² (m). */
  | { type: 'run'; id: number; codebook: Float32Array; bias: Float32Array; m: number; grid: Grid };

export type ShardReply =
  | { type: 'ok'; id: number }
  | { type: 'partial'; id: number; partial: ShardPartial }
  | { type: 'error'; id: number; message: string };

/** Which kernel a worker runs. */
export type ShardBackendKind = 'js' | 'ort';
