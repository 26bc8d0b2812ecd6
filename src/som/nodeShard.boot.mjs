// Starts a TypeScript shard worker when the engine runs from source (tests, `tsx`): registers
// tsx's loader inside this worker thread, then loads the real entry named in workerData.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
