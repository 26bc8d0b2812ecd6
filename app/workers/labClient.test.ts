import * as Comlink from 'comlink';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { smallTrainedMap, type TestMap } from '../../src/eval/testKit.ts';
import { LabCancelledError, LabClient, LabError } from './labClient.ts';
import { createLabWorkerApi, type LabWorkerApi } from '../../src/index.ts';
import { measureRobustness } from '../../src/index.ts';

const ports: MessagePort[] = [];
let workersMade = 0;

/** A client whose "worker" is the session across a message channel (as in the page). */
function clientOver(api: LabWorkerApi = createLabWorkerApi()): LabClient {
  return new LabClient(() => {
    workersMade++;
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    Comlink.expose(api, port1);
    return Object.assign(port2, { terminate: () => port2.close() }) as unknown as Worker;
  });
}
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

let map: TestMap;
beforeAll(async () => {
  map = await smallTrainedMap(2);
});

describe('LabClient over a message channel', () => {
  it('measures curves as the engine does in-thread, streaming progress, and leaves the data', async () => {
    const client = clientOver();
    const seen: number[] = [];
    const options = { levels: [0, 0.3], sample: 20, topN: 5, families: ['move' as const] };
    const curves = await client.curves(map, options, (done) => seen.push(done));
    const expected = measureRobustness(map, options);
    expect(Array.from(curves.families.move!.top1)).toEqual(
      Array.from(expected.families.move!.top1),
    );
    await expect.poll(() => seen.at(-1)).toBe(2);
    expect(map.data.length).toBe(map.n * map.d); // copied, not transferred
    expect(client.busy).toBe(false);
  });

  it('counts overlaps of sampled items against the rest', async () => {
    const client = clientOver();
    const dist = await client.overlapCounts({
      grid: map.som.grid,
      k: map.k,
      active: map.active,
      sample: 10,
    });
    expect(dist.queries).toBe(10);
    expect(dist.pairs).toBe(10 * (map.n - 1));
    expect(dist.counts.reduce((a, b) => a + b, 0)).toBe(dist.pairs);
  });

  it('brings bad requests back as LabError with the reason', async () => {
    const client = clientOver();
    await expect(client.curves(map, { levels: [2] })).rejects.toThrow(LabError);
    await expect(client.curves(map, { levels: [2] })).rejects.toThrow(/from 0 to 1/);
    await expect(
      client.overlapCounts({ grid: map.som.grid, k: 4, active: new Uint32Array(6) }),
    ).rejects.toThrow(/do not split into SDRs of K = 4/);
  });

  it('cancels a running measurement at once and starts a fresh worker for the next', async () => {
    let release: () => void = () => undefined;
    const api = createLabWorkerApi();
    const slow: LabWorkerApi = {
      ...api,
      // A measurement that never ends on its own.
      curves: () => new Promise((resolve) => (release = () => resolve(undefined as never))),
    };
    const client = clientOver(slow);
    const before = workersMade;
    const running = client.curves(map, {});
    await expect.poll(() => client.busy).toBe(true);
    client.cancel();
    await expect(running).rejects.toThrow(LabCancelledError);
    release();
    const dist = await client.overlapCounts({ grid: map.som.grid, k: map.k, active: map.active });
    expect(dist.queries).toBe(200);
    expect(workersMade).toBe(before + 2);
  });
});
