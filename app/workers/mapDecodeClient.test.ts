import { describe, expect, it } from 'vitest';
import { MapFileError } from '../../src/io/errors.ts';
import { encodeMapFile } from '../../src/io/mapFile.ts';
import type { SdrMap } from '../../src/io/mapModel.ts';
import { makeGrid } from '../../src/grid/grid.ts';
import { MapDecodeClient, decodeMapOffThread } from './mapDecodeClient.ts';
import { buffersOf, decodeRequest, type MapDecodeRequest } from './mapDecodeSession.ts';

const grid = makeGrid(2, 2);
const map: SdrMap = {
  name: 'tiny',
  createdAt: '2026-01-01T00:00:00.000Z',
  model: null,
  som: { grid, dim: 2, codebook: new Float32Array([1, 0, 0, 1, 1, 1, -1, 0]) },
  training: { grid, epochs: 1, seed: 1, init: 'random', radiusStart: 1, radiusEnd: 1, inputs: 2 },
  quality: { quantizationError: 0, topographicError: 0 },
  calibration: null,
  items: { labels: ['a', 'b'], k: 1, sdrs: new Uint32Array([0, 3]) },
};
const bytes = encodeMapFile(map);

/**
 * A stand-in Worker running the real session code: messages go through structuredClone (with
 * transfer), as between threads, and replies arrive on a later task.
 */
class FakeWorker {
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  terminated = false;
  postMessage(request: MapDecodeRequest): void {
    const copy = structuredClone(request);
    setTimeout(() => {
      const { reply, transfer } = decodeRequest(copy);
      const data = structuredClone(reply, { transfer });
      this.onmessage?.({ data } as MessageEvent);
    }, 0);
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('decoding maps off the main thread', () => {
  it('decodes in the worker and hands the arrays back whole', async () => {
    const client = new MapDecodeClient(() => new FakeWorker() as unknown as Worker);
    const [a, b] = await Promise.all([client.decode(bytes), client.decode(bytes)]);
    expect(a.name).toBe('tiny');
    expect(Array.from(a.items!.sdrs)).toEqual([0, 3]);
    expect(Array.from(b.som.codebook)).toEqual(Array.from(map.som.codebook));
    // The caller's bytes are copied, never detached.
    expect(bytes.byteLength).toBeGreaterThan(0);
  });

  it('rejects a damaged file with a MapFileError carrying the reader message', async () => {
    const client = new MapDecodeClient(() => new FakeWorker() as unknown as Worker);
    const error = await client.decode(bytes.slice(0, 40)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MapFileError);
    expect((error as Error).message).toMatch(/truncated|too short|bytes/);
  });

  it('collects each typed array buffer once for transfer', () => {
    const buffer = new ArrayBuffer(16);
    const found = buffersOf({
      a: new Uint8Array(buffer),
      b: [new Float32Array(buffer, 4, 2)],
      c: 'x',
    });
    expect(found).toEqual([buffer]);
  });

  it('decodes in place where there is no Worker (Node)', async () => {
    expect((await decodeMapOffThread(bytes)).name).toBe('tiny');
  });
});
