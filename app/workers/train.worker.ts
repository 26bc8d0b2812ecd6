// The train worker: a thin door to the training sessions (trainSession.ts); errors travel back
// through comlink, codebooks leave by transfer. Every product runs on onnxruntime-web (WASM SIMD,
// one thread per core on this cross-origin-isolated page; ortWebKernel.ts, sharedKernel.ts) in
// this worker: measured faster than shard workers. If the runtime cannot start, the JS kernel
// takes over (the result says why), and big runs on machines with cores to spare then use the
// JS shard pool.
import * as Comlink from 'comlink';
import { createTrainWorkerApi, shardWorkersFor } from './trainSession.ts';
import { trainThreadsFor } from './sharedKernel.ts';
import { createOrtWebKernel } from './ortWebKernel.ts';
import { createBrowserPool } from './somPool.ts';

const cores = navigator.hardwareConcurrency || 2;

Comlink.expose(
  createTrainWorkerApi({
    kernel: () => createOrtWebKernel({ threads: trainThreadsFor(cores) }),
    pool: (n, m, d, kernel) => {
      if (kernel !== 'js') return null;
      const workers = shardWorkersFor(n, m, d, cores);
      return workers > 0 ? createBrowserPool({ workers }) : null;
    },
  }),
);
