// The lab worker: a thin door to the engine's lab session (src/eval/labSession.ts): robustness
// curves, the claim check and overlap counts, off the main thread. Errors travel back through
// comlink.
import * as Comlink from 'comlink';
import { createLabWorkerApi } from '../../src/index.ts';

Comlink.expose(createLabWorkerApi());
