// The encode worker: a thin door to the encoding session (encodeSession.ts); errors travel back
// through comlink, results leave by transfer.
import * as Comlink from 'comlink';
import { createEncodeWorkerApi } from './encodeSession.ts';

Comlink.expose(createEncodeWorkerApi());
