import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRows } from '../../src/index.ts';
import { EncodeClient, EncodeError, encodeDoor } from './encodeClient.ts';
import { createEncodeWorkerApi } from '../../src/index.ts';
import { makeGrid, type SdrMap, createRng, randomNormal } from '../../src/index.ts';

const ports: MessagePort[] = [];
function clientOverChannel(): EncodeClient {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  Comlink.expose(encodeDoor(createEncodeWorkerApi()), port1);
  return new EncodeClient(() => port2 as unknown as Worker);
}
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

function randomRows(n: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * d }, () => randomNormal(rng));
}

function mapOf(seed: number): SdrMap {
  const grid = makeGrid(4, 5);
  const dim = 6;
  return {
    name: `map ${seed}`,
    createdAt: '2025-01-01T00:00:00Z',
    model: null,
    som: { grid, dim, codebook: randomRows(20, dim, seed) },
    training: { grid, epochs: 1, seed: 1, init: 'random', radiusStart: 2, radiusEnd: 1, inputs: 1 },
    quality: { quantizationError: 0, topographicError: 0 },
    calibration: null,
  };
}

describe('EncodeClient over a message channel', () => {
  it('encodes like the in-thread function and leaves the caller its data', async () => {
    const client = clientOverChannel();
    const map = mapOf(1);
    const data = randomRows(30, 6, 9);
    const rows = await client.encode(map, data, 30, 4);
    const expected = encodeRows(map, data, 30, 4);
    expect(Array.from(rows.active)).toEqual(Array.from(expected.active));
    expect(Array.from(rows.bmu)).toEqual(Array.from(expected.bmu));
    expect(data.length).toBe(180); // copied, not transferred: the store keeps its array
  });

  it('follows a map change and a K change', async () => {
    const client = clientOverChannel();
    const data = randomRows(8, 6, 3);
    const a = await client.encode(mapOf(1), data, 8, 3);
    const b = await client.encode(mapOf(2), data, 8, 5);
    expect(a.k).toBe(3);
    expect(b.k).toBe(5);
    expect(Array.from(b.active)).toEqual(Array.from(encodeRows(mapOf(2), data, 8, 5).active));
  });

  it('encodes requests sent back to back on the map each was sent with', async () => {
    const client = clientOverChannel();
    const data = randomRows(8, 6, 3);
    const [a, b, c] = await Promise.all([
      client.encode(mapOf(1), data, 8, 3),
      client.encode(mapOf(2), data, 8, 3),
      client.encode(mapOf(1), data, 8, 3),
    ]);
    expect(Array.from(a.active)).toEqual(Array.from(encodeRows(mapOf(1), data, 8, 3).active));
    expect(Array.from(b.active)).toEqual(Array.from(encodeRows(mapOf(2), data, 8, 3).active));
    expect(Array.from(c.active)).toEqual(Array.from(a.active));
  });

  it('keeps the dataset in the worker: a K move sends only K, a new dataset array is sent', async () => {
    const client = clientOverChannel();
    const map = mapOf(1);
    const data = randomRows(12, 6, 5);
    const original = data.slice();
    const a = await client.encodeDataset(map, data, 12, 3);
    expect(Array.from(a.active)).toEqual(Array.from(encodeRows(map, original, 12, 3).active));
    data.fill(0.5); // the same array: the worker still holds its copy from the first call
    const b = await client.encodeDataset(map, data, 12, 5);
    expect(Array.from(b.active)).toEqual(Array.from(encodeRows(map, original, 12, 5).active));
    const next = randomRows(12, 6, 6); // a new array: sent again
    const c = await client.encodeDataset(map, next, 12, 5);
    expect(Array.from(c.active)).toEqual(Array.from(encodeRows(map, next, 12, 5).active));
    const other = mapOf(2); // a new map keeps the dataset
    const e = await client.encodeDataset(other, next, 12, 4);
    expect(Array.from(e.bmu)).toEqual(Array.from(encodeRows(other, next, 12, 4).bmu));
    expect(next.length).toBe(72); // copied, not transferred: the store keeps its array
  });

  it('brings bad requests back as EncodeError with the reason', async () => {
    const client = clientOverChannel();
    await expect(client.encode(mapOf(1), randomRows(2, 6, 1), 2, 99)).rejects.toThrow(EncodeError);
    await expect(client.encode(mapOf(1), randomRows(2, 6, 1), 2, 99)).rejects.toThrow(
      /from 1 to 20/,
    );
  });
});
