// The encode worker: a thin comlink door over the engine's encoding session
// (src/encode/session.ts); errors travel back through comlink, results leave by transfer
// (encodeDoor). Big encodings run on onnxruntime-web (WASM SIMD, threaded on this
// cross-origin-isolated page; ortWebKernel.ts).
import * as Comlink from 'comlink';
import { createEncodeWorkerApi } from '../../src/index.ts';
import { encodeDoor } from './encodeClient.ts';
import { createOrtWebKernel } from './ortWebKernel.ts';
import { interactiveThreadsFor } from './sharedKernel.ts';

const cores = navigator.hardwareConcurrency || 2;

Comlink.expose(
  encodeDoor(
    createEncodeWorkerApi({
      kernel: () => createOrtWebKernel({ threads: interactiveThreadsFor(cores) }),
    }),
  ),
);
