/**
 * What the browser keeps of downloaded models: transformers.js stores every model file (and
 * ONNX Runtime's WASM) in the Cache API under one cache name. Listing reads sizes from the
 * stored headers (falling back to reading the body), so it is cheap even for large models.
 */

/** transformers.js's default `env.cacheKey`. */
export const MODEL_CACHE_NAME = 'transformers-cache';

interface CachedFile {
  readonly url: string;
  /** Model id guessed from the URL ('Xenova/clip-vit-base-patch32', 'clip-tiny'), 'ONNX Runtime'
   * for the runtime's own WASM, or ''. */
  readonly model: string;
  readonly bytes: number;
}

export interface CacheSummary {
  readonly files: readonly CachedFile[];
  readonly totalBytes: number;
}

/** The model id inside a cached URL: hub ('<id>/resolve/<rev>/<file>') or folder ('<id>/onnx/…'). */
export function modelOfUrl(url: string): string {
  let path: string;
  try {
    path = new URL(url, 'http://localhost/').pathname;
  } catch {
    return '';
  }
  const parts = path.split('/').filter(Boolean);
  if (/\.(wasm|mjs)$/.test(path)) return 'ONNX Runtime';
  const resolve = parts.indexOf('resolve');
  if (resolve >= 1) return parts.slice(Math.max(0, resolve - 2), resolve).join('/');
  const onnx = parts.indexOf('onnx');
  const end = onnx >= 1 ? onnx : parts.length - 1;
  return end >= 1 ? parts[end - 1] : '';
}

/** List the model cache; an empty summary where the Cache API is missing (insecure pages). */
export async function listModelCache(
  storage: CacheStorage | undefined = globalThis.caches,
): Promise<CacheSummary> {
  if (!storage || !(await storage.has(MODEL_CACHE_NAME))) return { files: [], totalBytes: 0 };
  const cache = await storage.open(MODEL_CACHE_NAME);
  const files: CachedFile[] = [];
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (!response) continue;
    const header = Number(response.headers.get('content-length'));
    const bytes = Number.isFinite(header) && header > 0 ? header : (await response.blob()).size;
    files.push({ url: request.url, model: modelOfUrl(request.url), bytes });
  }
  files.sort((a, b) =>
    a.model === b.model ? a.url.localeCompare(b.url) : a.model.localeCompare(b.model),
  );
  return { files, totalBytes: files.reduce((t, f) => t + f.bytes, 0) };
}

/** Delete every cached model file; the next load downloads again. */
export async function clearModelCache(
  storage: CacheStorage | undefined = globalThis.caches,
): Promise<void> {
  if (storage) await storage.delete(MODEL_CACHE_NAME);
}
