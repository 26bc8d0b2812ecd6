// The train worker: a thin comlink door over the engine's training sessions (src/map/session.ts);
// errors travel back through comlink, codebooks leave by transfer (trainDoor). Every product runs
// on onnxruntime-web (WASM SIMD, one thread per core on this cross-origin-isolated page;
// ortWebKernel.ts, src/som/kernelSlot.ts) in this worker: measured faster than shard workers. If
// the runtime cannot start, the JS kernel takes over (the result says why), and big runs on
// machines with cores to spare then use the JS shard pool.
import * as Comlink from 'comlink';
import { createMapSessions, shardWorkersFor } from '../../src/index.ts';
import { trainThreadsFor } from './sharedKernel.ts';
import { createOrtWebKernel } from './ortWebKernel.ts';
import { createBrowserPool } from './somPool.ts';
import { trainDoor } from './trainClient.ts';

const cores = navigator.hardwareConcurrency || 2;

Comlink.expose(
  trainDoor(
    createMapSessions({
      kernel: () => createOrtWebKernel({ threads: trainThreadsFor(cores) }),
      pool: (n, m, d, kernel) => {
        if (kernel !== 'js') return null;
        const workers = shardWorkersFor(n, m, d, cores);
        return workers > 0 ? createBrowserPool({ workers }) : null;
      },
    }),
  ),
);
