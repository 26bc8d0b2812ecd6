/**
 * Download the bytes of a map file named by a share link (`?map=<url>`).
 *
 * Only fetch and ReadableStream, so the same code runs in the page, in a worker and in Node.
 * The body is streamed with a running byte count, so an endless or oversized response is cut
 * off at `maxBytes` instead of filling memory; a server that goes silent is cut off after
 * `timeoutMs`; the caller can cancel at any time. Every failure is a FetchMapError whose
 * message is one line a person can act on, and whose `reason` a program can branch on.
 *
 * The address should already have passed urlState's mapUrlProblem (https: only, no
 * credentials); this module re-checks only the scheme (http/https), as a second wall.
 */

import { quoteForMessage } from '../io/text.ts';

/** Largest map file accepted by default: 64 MiB, far above a 64×64 map of 512-d f16 (4 MiB). */
export const DEFAULT_MAX_MAP_BYTES = 64 * 1024 * 1024;
/** Default longest silence from the server, in milliseconds. */
export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
/** Default limit on the whole download, in milliseconds: 5 minutes. */
const DEFAULT_TOTAL_TIMEOUT_MS = 5 * 60_000;
/** Default slowest average rate accepted once the grace period is over: 8 KiB/s. */
const DEFAULT_MIN_BYTES_PER_SECOND = 8 * 1024;
/** Default time a download may run before its average rate is judged, in milliseconds. */
const DEFAULT_RATE_GRACE_MS = 20_000;
/** setTimeout's largest delay; longer finite timeouts would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

export type FetchMapFailure =
  /** The address is not an http(s) address. */
  | 'bad-url'
  /** The server could not be reached, refused cross-origin access, or redirected in a loop. */
  | 'network'
  /** The server answered with a non-2xx status (see `status`). */
  | 'http'
  /** The server answered with a web page instead of a file. */
  | 'html'
  /** The file is larger than `maxBytes`. */
  | 'too-large'
  /**
   * The server sent nothing for `timeoutMs`, the whole download took over `totalTimeoutMs`,
   * or it averaged under `minBytesPerSecond` (a server trickling bytes to keep it open).
   */
  | 'timeout'
  /** The caller's AbortSignal fired. */
  | 'aborted';

export class FetchMapError extends Error {
  override readonly name = 'FetchMapError';
  constructor(
    message: string,
    readonly reason: FetchMapFailure,
    /** HTTP status, for reason 'http'. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface FetchMapOptions {
  /** Largest body accepted, in bytes; default 64 MiB; an integer from 1 to 2^32. */
  readonly maxBytes?: number;
  /** Cancels the download; the promise then rejects with reason 'aborted'. */
  readonly signal?: AbortSignal;
  /**
   * Called once the server answers (loaded 0) and after every chunk. `total` is the size the
   * server announced, or null when unknown (no Content-Length, a compressed transfer, or a
   * server whose announced size turned out wrong).
   */
  readonly onProgress?: (loaded: number, total: number | null) => void;
  /**
   * Longest wait, in ms, for the server to answer or to send the next chunk of the body (a
   * silence limit, not a limit on the whole download, so a large file on a slow line still
   * arrives); default 30,000; a positive number, Infinity for none.
   */
  readonly timeoutMs?: number;
  /**
   * Longest time, in ms, for the whole download, answer and body together; default 300,000
   * (5 minutes); a positive number, Infinity for none.
   */
  readonly totalTimeoutMs?: number;
  /**
   * Slowest average rate accepted, in bytes per second, judged from `rateGraceMs` into the
   * download (checked as each chunk arrives); default 8,192; 0 for none.
   */
  readonly minBytesPerSecond?: number;
  /** Time before the average rate is judged, in ms; default 20,000; 0 or more. */
  readonly rateGraceMs?: number;
  /**
   * Address that relative `url`s resolve against; default `location.href` where there is one
   * (the page; in a worker, the worker script, so pass the page's address from a worker).
   */
  readonly baseUrl?: string;
  /**
   * The request's priority among the page's own (fetch's `priority`); default 'auto'. 'low'
   * lets a map fetched while the page's code still loads (app/boot.ts) give way to it.
   */
  readonly priority?: 'high' | 'low' | 'auto';
}

/** Download `url` (absolute, or relative to `baseUrl`) into one Uint8Array. */
export async function fetchMapBytes(
  url: string | URL,
  options: FetchMapOptions = {},
): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MAP_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  if (!Number.isInteger(maxBytes) || maxBytes < 1 || maxBytes > 2 ** 32) {
    throw new RangeError(
      `fetchMapBytes: maxBytes must be an integer from 1 to 2^32, got ${maxBytes}`,
    );
  }
  if (!(timeoutMs > 0)) {
    throw new RangeError(`fetchMapBytes: timeoutMs must be a positive number, got ${timeoutMs}`);
  }
  const totalTimeoutMs = options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS;
  if (!(totalTimeoutMs > 0)) {
    throw new RangeError(
      `fetchMapBytes: totalTimeoutMs must be a positive number, got ${totalTimeoutMs}`,
    );
  }
  const minRate = options.minBytesPerSecond ?? DEFAULT_MIN_BYTES_PER_SECOND;
  const rateGraceMs = options.rateGraceMs ?? DEFAULT_RATE_GRACE_MS;
  if (!(rateGraceMs >= 0)) {
    throw new RangeError(`fetchMapBytes: rateGraceMs must be 0 or more, got ${rateGraceMs}`);
  }
  if (!(minRate >= 0 && Number.isFinite(minRate))) {
    throw new RangeError(
      `fetchMapBytes: minBytesPerSecond must be a number of at least 0, got ${minRate}`,
    );
  }
  const target = toHttpUrl(url, options.baseUrl);
  const host = target.host;
  const { signal, onProgress } = options;
  if (signal?.aborted) throw aborted();

  // One controller ends both the request and the body stream, whatever ended it: the caller,
  // the silence timer, or a size check.
  const controller = new AbortController();
  let timedOut = false;
  let overTime = false;
  const started = Date.now();
  const totalTimer =
    totalTimeoutMs > MAX_TIMER_MS
      ? undefined
      : setTimeout(() => {
          overTime = true;
          controller.abort();
        }, totalTimeoutMs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const rearm = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    if (timeoutMs > MAX_TIMER_MS) return;
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  const onCallerAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  /** What an exception from fetch or the stream means, given who pulled the plug. */
  const explain = (err: unknown): FetchMapError => {
    if (err instanceof FetchMapError) return err;
    if (signal?.aborted) return aborted();
    if (overTime) {
      return new FetchMapError(
        `the download from ${host} took over ${formatSeconds(totalTimeoutMs)}; try again later or use a faster server`,
        'timeout',
      );
    }
    if (timedOut) {
      return new FetchMapError(
        `the server at ${host} sent nothing for ${formatSeconds(timeoutMs)}; try again later`,
        'timeout',
      );
    }
    const cause = err instanceof Error ? (err as Error & { cause?: unknown }).cause : undefined;
    const detail = cause instanceof Error ? cause.message : '';
    if (/redirect/i.test(detail)) {
      return new FetchMapError(
        `the address on ${host} redirects in a loop (or too many times)`,
        'network',
      );
    }
    return new FetchMapError(
      `could not download the map from ${host}: the server cannot be reached, does not allow downloads from this page (CORS), or redirects in a loop`,
      'network',
    );
  };

  try {
    rearm();
    let response: Response;
    try {
      response = await fetch(target, {
        signal: controller.signal,
        redirect: 'follow',
        credentials: 'same-origin',
        // The page address carries the share state; the map's server need not see it.
        referrerPolicy: 'no-referrer',
        ...(options.priority ? { priority: options.priority } : {}),
      });
    } catch (err) {
      throw explain(err);
    }
    if (!response.ok) {
      const text = clip(response.statusText);
      throw new FetchMapError(
        `could not download the map: the server at ${host} answered ${response.status}${text ? ` ${text}` : ''}`,
        'http',
        response.status,
      );
    }
    const type = response.headers.get('content-type') ?? '';
    if (/^\s*(?:text\/html|application\/xhtml\+xml)\s*(?:;|$)/i.test(type)) {
      throw new FetchMapError('that address returned a web page, not a map file', 'html');
    }
    const encoding = (response.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
    const declared = response.headers.get('content-length');
    // A compressed transfer announces its compressed size: not the number of bytes we count.
    let total =
      declared !== null && /^\d{1,16}$/.test(declared.trim()) && encoding === 'identity'
        ? Number(declared.trim())
        : null;
    if (total !== null && total > maxBytes) throw tooLarge(maxBytes);
    onProgress?.(0, total);
    if (response.body === null) return new Uint8Array(0);

    const reader = response.body.getReader();
    let buffer = new Uint8Array(total ?? Math.min(maxBytes, 1 << 20));
    let loaded = 0;
    for (;;) {
      rearm();
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw explain(err);
      }
      if (chunk.done) break;
      const bytes = chunk.value;
      const needed = loaded + bytes.length;
      if (needed > maxBytes) throw tooLarge(maxBytes);
      if (needed > buffer.length) {
        const grown = new Uint8Array(Math.min(maxBytes, Math.max(needed, buffer.length * 2)));
        grown.set(buffer.subarray(0, loaded));
        buffer = grown;
      }
      buffer.set(bytes, loaded);
      loaded = needed;
      if (total !== null && loaded > total) total = null; // the server's announced size was wrong
      onProgress?.(loaded, total);
      const elapsed = Date.now() - started;
      if (minRate > 0 && elapsed > rateGraceMs && loaded / (elapsed / 1000) < minRate) {
        throw new FetchMapError(
          `the server at ${host} sends the map too slowly (${formatBytes(Math.round(loaded / (elapsed / 1000)))}/s, under ${formatBytes(minRate)}/s); try again later`,
          'timeout',
        );
      }
    }
    return loaded === buffer.length ? buffer : buffer.slice(0, loaded);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (totalTimer !== undefined) clearTimeout(totalTimer);
    signal?.removeEventListener('abort', onCallerAbort);
    // Ends the connection when we stopped early (error, size, cancel); a no-op after success.
    controller.abort();
  }
}

function toHttpUrl(url: string | URL, baseUrl: string | undefined): URL {
  const base = baseUrl ?? (typeof location !== 'undefined' ? location.href : undefined);
  let target: URL;
  try {
    target = new URL(url, base);
  } catch {
    throw new FetchMapError(`"${clip(String(url))}" is not a web address`, 'bad-url');
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new FetchMapError(
      `maps are downloaded only from http(s) addresses, not ${target.protocol}`,
      'bad-url',
    );
  }
  return target;
}

function aborted(): FetchMapError {
  return new FetchMapError('the download was cancelled', 'aborted');
}

function tooLarge(maxBytes: number): FetchMapError {
  return new FetchMapError(`the map file is larger than ${formatBytes(maxBytes)}`, 'too-large');
}

/** 64 MiB, 1.5 MiB, 300 KiB, 999 bytes. */
export function formatBytes(n: number): string {
  const round = (v: number) => String(Math.round(v * 10) / 10);
  if (n >= 1024 * 1024) return `${round(n / (1024 * 1024))} MiB`;
  if (n >= 1024) return `${round(n / 1024)} KiB`;
  return `${n} bytes`;
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms)} ms`;
}

/** A server- or user-supplied string, short and without control characters, for a message. */
function clip(text: string): string {
  return quoteForMessage(text, 61);
}
