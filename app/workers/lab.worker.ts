// The lab worker: a thin door to the lab session (labSession.ts): robustness curves, the claim
// check and overlap counts, off the main thread. Errors travel back through comlink.
import * as Comlink from 'comlink';
import { createLabWorkerApi } from './labSession.ts';

Comlink.expose(createLabWorkerApi());
