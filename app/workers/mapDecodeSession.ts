/**
 * The work of the map-decoding worker (mapDecode.worker.ts), kept free of worker globals so it
 * runs in tests: decode `.sdrmap` bytes (src/io/mapFile.ts) into a map and the buffers to
 * transfer back, or a refusal that keeps the error's name and message.
 */
import { decodeMapFile, type SdrMap } from '../../src/index.ts';

export type MapDecodeReply =
  | { readonly id: number; readonly ok: true; readonly map: SdrMap }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly message: string };

/** A decode request: `id` matches the reply to its request. */
export interface MapDecodeRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
}

/** Every ArrayBuffer under `value` (typed arrays in the map), once each. */
export function buffersOf(value: unknown, out = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) buffersOf(child, out);
  }
  return [...out];
}

/** Decode one request into its reply and the buffers the reply may hand over by transfer. */
export function decodeRequest(request: MapDecodeRequest): {
  reply: MapDecodeReply;
  transfer: ArrayBuffer[];
} {
  try {
    const map = decodeMapFile(request.bytes);
    return { reply: { id: request.id, ok: true, map }, transfer: buffersOf(map) };
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    return {
      reply: { id: request.id, ok: false, name: error.name, message: error.message },
      transfer: [],
    };
  }
}
