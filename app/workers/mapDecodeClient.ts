/**
 * Decode `.sdrmap` bytes off the main thread: one lazily created worker (mapDecode.worker.ts)
 * checks and decodes, and the map's arrays come back by transfer. A bad file rejects with a
 * MapFileError carrying the reader's message, as decodeMapFile itself would. Where there is no
 * Worker (tests in Node) the bytes are decoded in place.
 */
import { MapFileError, decodeMapFile, type SdrMap } from '../../src/index.ts';
import type { MapDecodeReply, MapDecodeRequest } from './mapDecodeSession.ts';
import { takeMapDecodeWorker } from './mapDecodeWorker.ts';

interface Pending {
  resolve: (map: SdrMap) => void;
  reject: (error: Error) => void;
}

export class MapDecodeClient {
  private worker: Worker | null = null;
  private next = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly createWorker: (() => Worker) | null) {}

  /** The map in `bytes` (which are copied to the worker, not taken from the caller). */
  decode(bytes: Uint8Array): Promise<SdrMap> {
    if (!this.createWorker) return Promise.resolve().then(() => decodeMapFile(bytes));
    const worker = this.start();
    const id = this.next++;
    return new Promise<SdrMap>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: MapDecodeRequest = { id, bytes };
      worker.postMessage(request);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker!();
    worker.onmessage = (event: MessageEvent<MapDecodeReply>) => {
      const reply = event.data;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.map);
      else {
        waiting.reject(
          reply.name === 'MapFileError'
            ? new MapFileError(reply.message)
            : new Error(`decoding the map failed: ${reply.message}`),
        );
      }
    };
    worker.onerror = (event) => {
      // The worker itself failed (it could not load): fail what waits, start afresh next time.
      event.preventDefault?.();
      const error = new Error(`the map decoder stopped: ${event.message || 'no reason given'}`);
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      worker.terminate();
      this.worker = null;
    };
    this.worker = worker;
    return worker;
  }
}

let shared: MapDecodeClient | null = null;

/** Decode `bytes` into a map on the page's shared decoding worker. */
export function decodeMapOffThread(bytes: Uint8Array): Promise<SdrMap> {
  shared ??= new MapDecodeClient(typeof Worker === 'undefined' ? null : takeMapDecodeWorker);
  return shared.decode(bytes);
}
