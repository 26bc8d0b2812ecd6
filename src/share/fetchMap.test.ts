// fetchMapBytes against a real HTTP server on 127.0.0.1 (an ephemeral port): good bodies,
// web pages, errors, redirect loops, endless and silent bodies, and cancellation.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchMapError, fetchMapBytes, formatBytes, type FetchMapFailure } from './fetchMap.ts';

const MAP_BYTES = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7 + (i >> 8)) & 255);
const HUGE_LIMIT = 100 * 1024 * 1024; // the endless body stops here even if nobody hangs up
const CHUNK = new Uint8Array(64 * 1024).fill(0x5a);

/** What the endless route sent before the client hung up, per request id. */
const streamed = new Map<string, { sent: number; closedEarly: boolean }>();
const closedByClient = new Map<string, Promise<void>>();

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const id = url.searchParams.get('id') ?? '';
  const bin = { 'content-type': 'application/octet-stream' };
  switch (url.pathname) {
    case '/map.sdrmap': {
      res.writeHead(200, { ...bin, 'content-length': MAP_BYTES.length });
      // Several writes, so the client sees several chunks and reports progress more than once.
      for (let i = 0; i < MAP_BYTES.length; i += 50_000)
        res.write(MAP_BYTES.subarray(i, i + 50_000));
      res.end();
      return;
    }
    case '/chunked': {
      res.writeHead(200, bin); // no content-length: size unknown up front
      res.end(MAP_BYTES.subarray(0, 1000));
      return;
    }
    case '/hop':
      res.writeHead(302, { location: '/map.sdrmap' }).end();
      return;
    case '/loop':
      res.writeHead(302, { location: '/loop' }).end();
      return;
    case '/page':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Not a map</title><p>Hello</p>');
      return;
    case '/missing':
      res.writeHead(404, 'Not Found', { 'content-type': 'text/html' }).end('<h1>404</h1>');
      return;
    case '/broken':
      res.writeHead(500, 'Internal Server Error').end();
      return;
    case '/declared-huge':
      // Announces 200 MiB: refused from the headers alone, before any body is read.
      res.writeHead(200, { ...bin, 'content-length': 200 * 1024 * 1024 });
      res.write(CHUNK);
      return;
    case '/huge': {
      res.writeHead(200, bin);
      const record = { sent: 0, closedEarly: false };
      streamed.set(id, record);
      let done = false;
      closedByClient.set(
        id,
        new Promise((resolve) =>
          res.on('close', () => {
            record.closedEarly = record.sent < HUGE_LIMIT;
            done = true;
            resolve();
          }),
        ),
      );
      const pump = (): void => {
        while (!done && record.sent < HUGE_LIMIT) {
          record.sent += CHUNK.length;
          if (!res.write(CHUNK)) {
            res.once('drain', pump);
            return;
          }
        }
        if (!done) res.end();
      };
      pump();
      return;
    }
    case '/silent-body':
      res.writeHead(200, { ...bin, 'content-length': 1000 });
      res.write(MAP_BYTES.subarray(0, 10)); // then nothing, until the client gives up
      return;
    case '/silent-headers':
      return; // never answers
    case '/trickle': {
      // One byte every 40 ms: never silent long enough for the silence limit.
      res.writeHead(200, { ...bin, 'content-length': 100_000 });
      const tick = setInterval(() => res.write(MAP_BYTES.subarray(0, 1)), 40);
      res.on('close', () => clearInterval(tick));
      return;
    }
    default:
      res.writeHead(404).end();
  }
}

let server: Server;
let origin = '';

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Byte equality without vitest's element-by-element diffing (slow on 300 KB). */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual).toBeInstanceOf(Uint8Array);
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(actual, expected)).toBe(0);
}

async function failure(promise: Promise<unknown>): Promise<FetchMapError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchMapError);
  return err as FetchMapError;
}

async function expectFailure(
  promise: Promise<unknown>,
  reason: FetchMapFailure,
  message: RegExp,
): Promise<void> {
  const err = await failure(promise);
  expect({ reason: err.reason, message: err.message }).toEqual({
    reason,
    message: expect.stringMatching(message),
  });
}

describe('fetchMapBytes', () => {
  it('downloads the exact bytes and reports progress up to the announced size', async () => {
    const progress: Array<[number, number | null]> = [];
    const bytes = await fetchMapBytes(`${origin}/map.sdrmap`, {
      onProgress: (loaded, total) => progress.push([loaded, total]),
    });
    expectSameBytes(bytes, MAP_BYTES);
    expect(progress[0]).toEqual([0, MAP_BYTES.length]);
    expect(progress.at(-1)).toEqual([MAP_BYTES.length, MAP_BYTES.length]);
    expect(progress.length).toBeGreaterThan(2);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i][0]).toBeGreaterThanOrEqual(progress[i - 1][0]);
    }
  });

  it('reports an unknown total as null when the size is not announced', async () => {
    const totals = new Set<number | null>();
    const bytes = await fetchMapBytes(new URL('/chunked', origin), {
      onProgress: (_, total) => totals.add(total),
    });
    expectSameBytes(bytes, MAP_BYTES.subarray(0, 1000));
    expect([...totals]).toEqual([null]);
  });

  it('resolves a relative address against baseUrl', async () => {
    const bytes = await fetchMapBytes('../chunked', { baseUrl: `${origin}/app/index.html` });
    expectSameBytes(bytes, MAP_BYTES.subarray(0, 1000));
  });

  it('follows a redirect', async () => {
    expectSameBytes(await fetchMapBytes(`${origin}/hop`), MAP_BYTES);
  });

  it('refuses a web page', async () => {
    await expectFailure(
      fetchMapBytes(`${origin}/page`),
      'html',
      /^that address returned a web page, not a map file$/,
    );
  });

  it('puts the HTTP status in the message', async () => {
    const err = await failure(fetchMapBytes(`${origin}/missing`));
    expect(err.reason).toBe('http');
    expect(err.status).toBe(404);
    expect(err.message).toBe(
      `could not download the map: the server at ${new URL(origin).host} answered 404 Not Found`,
    );
    await expectFailure(
      fetchMapBytes(`${origin}/broken`),
      'http',
      /answered 500 Internal Server Error$/,
    );
  });

  it('explains a redirect loop', async () => {
    await expectFailure(fetchMapBytes(`${origin}/loop`), 'network', /redirects in a loop/);
  });

  it('refuses an announced size over the limit without reading the body', async () => {
    await expectFailure(
      fetchMapBytes(`${origin}/declared-huge`),
      'too-large',
      /^the map file is larger than 64 MiB$/,
    );
  });

  it('cuts off an endless body at maxBytes and hangs up', async () => {
    let lastLoaded = 0;
    await expectFailure(
      fetchMapBytes(`${origin}/huge?id=cap`, {
        maxBytes: 2 * 1024 * 1024,
        onProgress: (loaded) => (lastLoaded = loaded),
      }),
      'too-large',
      /^the map file is larger than 2 MiB$/,
    );
    expect(lastLoaded).toBeLessThanOrEqual(2 * 1024 * 1024);
    await closedByClient.get('cap');
    expect(streamed.get('cap')?.closedEarly).toBe(true);
  });

  it('stops when the caller cancels, and hangs up', async () => {
    const controller = new AbortController();
    await expectFailure(
      fetchMapBytes(`${origin}/huge?id=cancel`, {
        signal: controller.signal,
        onProgress: (loaded) => {
          if (loaded > 0) controller.abort();
        },
      }),
      'aborted',
      /^the download was cancelled$/,
    );
    await closedByClient.get('cancel');
    expect(streamed.get('cancel')?.closedEarly).toBe(true);
  });

  it('does not start when the signal is already aborted', async () => {
    await expectFailure(
      fetchMapBytes(`${origin}/map.sdrmap`, { signal: AbortSignal.abort() }),
      'aborted',
      /cancelled/,
    );
  });

  it('gives up on a server that goes silent, before or during the body', async () => {
    await expectFailure(
      fetchMapBytes(`${origin}/silent-headers`, { timeoutMs: 300 }),
      'timeout',
      /sent nothing for 300 ms/,
    );
    await expectFailure(
      fetchMapBytes(`${origin}/silent-body`, { timeoutMs: 300 }),
      'timeout',
      /sent nothing for 300 ms/,
    );
  });

  it('gives up on a server that trickles bytes: an overall limit and a minimum rate', async () => {
    await expectFailure(
      fetchMapBytes(`${origin}/trickle`, { timeoutMs: 300, totalTimeoutMs: 600, minBytesPerSecond: 0 }), // prettier-ignore
      'timeout',
      /took over 600 ms/,
    );
    await expectFailure(
      fetchMapBytes(`${origin}/trickle`, { timeoutMs: 300, rateGraceMs: 300 }),
      'timeout',
      /sends the map too slowly \(\d+ bytes\/s, under 8 KiB\/s\)/,
    );
  });

  it('names the host when nothing listens there', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    await expectFailure(
      fetchMapBytes(`http://127.0.0.1:${port}/m.sdrmap`),
      'network',
      new RegExp(`^could not download the map from 127\\.0\\.0\\.1:${port}: `),
    );
  });

  it('refuses addresses that are not http(s) before any request', async () => {
    await expectFailure(fetchMapBytes('file:///etc/passwd'), 'bad-url', /not file:/);
    await expectFailure(fetchMapBytes('data:,hello'), 'bad-url', /not data:/);
    await expectFailure(fetchMapBytes('no scheme here'), 'bad-url', /is not a web address/);
  });

  it('rejects nonsense options with a clear RangeError', async () => {
    await expect(fetchMapBytes(`${origin}/map.sdrmap`, { maxBytes: 0 })).rejects.toThrow(
      /maxBytes/,
    );
    await expect(fetchMapBytes(`${origin}/map.sdrmap`, { timeoutMs: -1 })).rejects.toThrow(
      /timeoutMs/,
    );
  });
});

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(64 * 1024 * 1024)).toBe('64 MiB');
    expect(formatBytes(1536 * 1024)).toBe('1.5 MiB');
    expect(formatBytes(300 * 1024)).toBe('300 KiB');
    expect(formatBytes(999)).toBe('999 bytes');
  });
});
