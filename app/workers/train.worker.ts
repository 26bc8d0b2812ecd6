// The train worker: a thin door to the training sessions (trainSession.ts); errors travel back
// through comlink, codebooks leave by transfer. Big runs on machines with cores to spare train
// in parallel on the browser shard pool (somPool.ts), started from inside this worker.
import * as Comlink from 'comlink';
import { createTrainWorkerApi, shardWorkersFor } from './trainSession.ts';
import { createBrowserPool } from './somPool.ts';

const cores = navigator.hardwareConcurrency || 2;

Comlink.expose(
  createTrainWorkerApi({
    pool: (n, m, d) => {
      const workers = shardWorkersFor(n, m, d, cores);
      return workers > 0 ? createBrowserPool({ workers }) : null;
    },
  }),
);
