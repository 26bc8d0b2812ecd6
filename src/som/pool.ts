/**
 * Shard pools: where the map step of each epoch runs. The trainer hands a pool the data once
 * (`load`) and the codebook every epoch (`run`) and gets back the summed partials.
 *
 * - createInThreadPool: one shard, this thread, any MatmulBackend.
 * - createWorkerShardPool: the shared logic of the Node (nodePool.ts) and browser
 *   (app/workers/somPool.ts) pools, written against a minimal message port so both are thin.
 *   Shards are contiguous row ranges; partials are added in shard order, so a given pool size
 *   always gives the same sums.
 */
import type { Grid } from '../grid/grid.ts';
import { gridSize } from '../grid/grid.ts';
import { adjacencyTable } from './adjacency.ts';
import { createJsBackend, type MatmulBackend } from './backend.ts';
import { halfNormBias } from './bmu.ts';
import {
  addPartial,
  createShard,
  emptyPartial,
  runShard,
  type Shard,
  type ShardPartial,
} from './shard.ts';
import type { ShardReply, ShardRequest } from './shardProtocol.ts';
import { errorMessage } from '../util/errorMessage.ts';

export interface ShardPool {
  /** For reports, e.g. 'in-thread:js' or 'node-workers×2:ort-node'. */
  readonly name: string;
  /** How many shards an epoch is split into. */
  readonly shards: number;
  /** Hand over the n·d input rows; called once per training run (again to switch data). */
  load(data: Float32Array, n: number, d: number): Promise<void>;
  /**
   * One map step over all loaded rows against `codebook` (m·d); partials summed. The result is
   * the caller's until the next run(): a pool may write the next one into the same arrays
   * (the in-thread pool does), so read or add it before calling run() again.
   */
  run(codebook: Float32Array, m: number, grid: Grid): Promise<ShardPartial>;
  /** Stop workers and free backends; the pool is unusable afterwards. */
  dispose(): Promise<void>;
}

export class ShardPoolError extends Error {
  override name = 'ShardPoolError';
}

function gridKey(grid: Grid): string {
  return `${grid.rows}x${grid.cols}:${grid.topology}`;
}

/** Cache of the adjacency table of the last grid seen (a pool trains one map at a time). */
function adjacencyCache(): (grid: Grid) => Int32Array {
  let key = '';
  let table: Int32Array = new Int32Array(0);
  return (grid) => {
    const k = gridKey(grid);
    if (k !== key) {
      table = adjacencyTable(grid);
      key = k;
    }
    return table;
  };
}

function checkRun(codebook: Float32Array, m: number, d: number, grid: Grid): void {
  if (m !== gridSize(grid)) {
    throw new RangeError(`codebook has ${m} units but the grid has ${gridSize(grid)}`);
  }
  if (codebook.length !== m * d) {
    throw new RangeError(`codebook holds ${codebook.length} floats, need ${m}×${d}`);
  }
}

/** Every shard in this thread, on `backend` (default: the JS kernel). */
export function createInThreadPool(backend: MatmulBackend = createJsBackend()): ShardPool {
  let shard: Shard | null = null;
  // One partial, written again by every run (see runShard): the ShardPool contract allows it.
  let scratch: ShardPartial | null = null;
  const adjacency = adjacencyCache();
  return {
    name: `in-thread:${backend.name}`,
    shards: 1,
    async load(data, n, d) {
      shard = createShard(data.subarray(0, n * d), n, d);
    },
    async run(codebook, m, grid) {
      if (!shard) throw new ShardPoolError('the pool has no data: call load() first');
      checkRun(codebook, m, shard.d, grid);
      if (scratch?.counts.length !== m || scratch.sums.length !== m * shard.d) {
        scratch = emptyPartial(m, shard.d);
      }
      return runShard(
        shard,
        backend,
        codebook,
        m,
        halfNormBias(codebook, m, shard.d),
        adjacency(grid),
        scratch,
      );
    },
    async dispose() {
      shard = null;
      scratch = null;
      await backend.dispose();
    },
  };
}

/** The side of a worker the pool needs: post, listen, stop. */
export interface ShardPort {
  post(message: ShardRequest, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (reply: ShardReply) => void): void;
  /** Called when the worker dies (uncaught error, failed start). */
  onError(listener: (error: Error) => void): void;
  terminate(): Promise<void> | void;
}

export interface WorkerShardPoolOptions {
  /** Pool name for reports. */
  readonly name: string;
  /**
   * Put the data once in a SharedArrayBuffer every worker reads (Node; cross-origin-isolated
   * pages). When false each worker is sent a copy of its own rows, once. Default: true where
   * SharedArrayBuffer exists.
   */
  readonly shareMemory?: boolean;
}

/** A pool over already started workers that speak shardProtocol.ts. */
export function createWorkerShardPool(
  ports: readonly ShardPort[],
  options: WorkerShardPoolOptions,
): ShardPool {
  if (ports.length < 1) throw new RangeError('a worker pool needs at least one worker');
  const shareMemory = options.shareMemory ?? typeof SharedArrayBuffer !== 'undefined';
  let nextId = 1;
  let dead: Error | null = null;
  let loaded: { n: number; d: number } | null = null;
  const pending = new Map<
    number,
    { resolve: (r: ShardReply) => void; reject: (e: Error) => void }
  >();

  for (const port of ports) {
    port.onMessage((reply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.type === 'error') p.reject(new ShardPoolError(reply.message));
      else p.resolve(reply);
    });
    port.onError((error) => {
      dead = new ShardPoolError(`a SOM worker stopped: ${error.message}`);
      for (const p of pending.values()) p.reject(dead);
      pending.clear();
    });
  }

  const request = (port: ShardPort, message: ShardRequest, transfer?: ArrayBuffer[]) =>
    new Promise<ShardReply>((resolve, reject) => {
      if (dead) {
        reject(dead);
        return;
      }
      pending.set(message.id, { resolve, reject });
      port.post(message, transfer);
    });

  return {
    name: options.name,
    shards: ports.length,
    async load(data, n, d) {
      if (data.length < n * d)
        throw new RangeError(`data holds ${data.length} floats, need ${n}×${d}`);
      let source = data.subarray(0, n * d);
      if (shareMemory && !(source.buffer instanceof SharedArrayBuffer)) {
        const shared = new Float32Array(new SharedArrayBuffer(n * d * 4));
        shared.set(source);
        source = shared;
      }
      const per = Math.ceil(n / ports.length);
      await Promise.all(
        ports.map((port, w) => {
          const start = Math.min(n, w * per);
          const end = Math.min(n, start + per);
          const rows = source.subarray(start * d, end * d);
          if (shareMemory) {
            return request(port, { type: 'load', id: nextId++, data: rows, rows: end - start, d });
          }
          const copy = rows.slice();
          return request(port, { type: 'load', id: nextId++, data: copy, rows: end - start, d }, [
            copy.buffer,
          ]);
        }),
      );
      loaded = { n, d };
    },
    async run(codebook, m, grid) {
      if (!loaded) throw new ShardPoolError('the pool has no data: call load() first');
      checkRun(codebook, m, loaded.d, grid);
      const bias = halfNormBias(codebook, m, loaded.d);
      const replies = await Promise.all(
        ports.map((port) =>
          request(port, { type: 'run', id: nextId++, codebook, bias, m, grid: { ...grid } }),
        ),
      );
      let total: ShardPartial | null = null;
      for (const reply of replies) {
        if (reply.type !== 'partial')
          throw new ShardPoolError(`a SOM worker answered ${reply.type} to run`);
        total = total ? addPartial(total, reply.partial) : reply.partial;
      }
      return total as ShardPartial;
    },
    async dispose() {
      await Promise.all(ports.map((port) => port.terminate()));
      dead = new ShardPoolError('the pool was disposed');
    },
  };
}

/**
 * The worker side: answers shardProtocol requests. `backend` is created by the worker entry
 * (it knows its platform); everything else is here, so the entries stay a few lines.
 */
export function createShardHost(
  backend: () => Promise<MatmulBackend>,
  options: {
    /**
     * Create the backend now rather than on the first request, so a worker started ahead of
     * its data (the CLI starts its pool while reading the file and computing the PCA) has its
     * kernel loaded and sessions built by then, instead of inside the first epoch; default false.
     */
    readonly eager?: boolean;
  } = {},
): {
  handle(request: ShardRequest): Promise<{ reply: ShardReply; transfer: ArrayBuffer[] }>;
} {
  let shard: Shard | null = null;
  let ready: Promise<MatmulBackend> | null = null;
  if (options.eager) {
    ready = backend();
    // A failure is reported to the first request (which awaits `ready`), not as unhandled.
    ready.catch(() => undefined);
  }
  const adjacency = adjacencyCache();
  return {
    async handle(request) {
      try {
        ready ??= backend();
        const be = await ready;
        if (request.type === 'load') {
          let rows = request.data;
          // A backend that cannot read shared memory gets a private copy, once per load.
          if (!be.acceptsShared && rows.buffer instanceof SharedArrayBuffer) rows = rows.slice();
          shard = createShard(rows, request.rows, request.d);
          return { reply: { type: 'ok', id: request.id }, transfer: [] };
        }
        if (!shard) throw new ShardPoolError('this SOM worker has no data: load first');
        const partial = await runShard(
          shard,
          be,
          request.codebook,
          request.m,
          request.bias,
          adjacency(request.grid),
        );
        return {
          reply: { type: 'partial', id: request.id, partial },
          transfer: [partial.sums.buffer as ArrayBuffer, partial.counts.buffer as ArrayBuffer],
        };
      } catch (e) {
        const message = errorMessage(e);
        return { reply: { type: 'error', id: request.id, message }, transfer: [] };
      }
    },
  };
}
