/// <reference lib="webworker" />
/**
 * A train worker for the browser benchmark (dev-only, never in the app's build): the app's own
 * training sessions (src/map/session.ts, behind the app's door trainDoor) on a kernel and pool the benchmark chooses,
 * passed as JSON in the worker's name, so each variant runs the real code path.
 */
import * as Comlink from 'comlink';
import { createMapSessions } from '../src/index.ts';
import { trainDoor } from '../app/workers/trainClient.ts';
import { createOrtWebKernel, ORT_WASM_PATHS } from '../app/workers/ortWebKernel.ts';
import { createBrowserPool } from '../app/workers/somPool.ts';
import type { TrainVariantSettings } from './trainBench.ts';

declare const self: DedicatedWorkerGlobalScope;

const settings = JSON.parse(self.name) as TrainVariantSettings;

Comlink.expose(
  trainDoor(
    createMapSessions({
      kernel:
        settings.kernel === 'ort'
          ? () => createOrtWebKernel({ threads: settings.threads })
          : undefined,
      pool: settings.poolWorkers
        ? () =>
            createBrowserPool({
              workers: settings.poolWorkers,
              backend: settings.poolKernel ?? settings.kernel,
              wasmPaths: ORT_WASM_PATHS,
            })
        : undefined,
    }),
  ),
);
