// The encode worker: a thin door to the encoding session (encodeSession.ts); errors travel back
// through comlink, results leave by transfer. Big encodings run on onnxruntime-web (WASM SIMD,
// threaded on this cross-origin-isolated page; ortWebKernel.ts).
import * as Comlink from 'comlink';
import { createEncodeWorkerApi } from './encodeSession.ts';
import { createOrtWebKernel } from './ortWebKernel.ts';
import { interactiveThreadsFor } from './sharedKernel.ts';

const cores = navigator.hardwareConcurrency || 2;

Comlink.expose(
  createEncodeWorkerApi({
    kernel: () => createOrtWebKernel({ threads: interactiveThreadsFor(cores) }),
  }),
);
