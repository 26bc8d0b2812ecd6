/**
 * One matrix kernel per worker (or per `sdr` run), shared by everything it runs (training
 * sessions, encodings, unit labels): started once, on first use; on failure replaced by the JS kernel
 * with a sentence saying why; and serialised, because an onnxruntime session is not re-entrant
 * and two jobs' calls interleave at every await.
 */
import { errorMessage } from '../util/errorMessage.ts';
import { createJsBackend, type MatmulBackend } from './backend.ts';

/** The worker's kernel once started: the fast one, or the JS kernel and the reason why. */
export interface StartedKernel {
  readonly backend: MatmulBackend;
  /** Why the JS kernel is used although a fast one was asked for; null when it was not. */
  readonly fallback: string | null;
}

export interface KernelSlot {
  /** The JS kernel (serialised), for fallbacks after a failure of the fast one. */
  readonly js: MatmulBackend;
  /** The kernel, started at the first call (later calls get the same one). */
  get(): Promise<StartedKernel>;
  /**
   * Release the fast kernel, if one started (a Node process that ends its work; a page's
   * worker keeps its kernel for its lifetime and never calls this). get() after it is an error.
   */
  dispose(): Promise<void>;
}

/**
 * `backend` shared by many users of one thread: one call at a time, in call order, and
 * dispose() does nothing (the kernel lives as long as the worker; pools built on it dispose
 * their backend when a run ends).
 */
export function serialisedKernel(backend: MatmulBackend): MatmulBackend {
  let tail: Promise<unknown> = Promise.resolve();
  const queued = <T>(call: () => Promise<T>): Promise<T> => {
    const result = tail.then(call, call);
    tail = result.catch(() => undefined);
    return result;
  };
  return {
    name: backend.name,
    acceptsShared: backend.acceptsShared,
    bestTwo: (a, n, b, m, d, bias, out) => queued(() => backend.bestTwo(a, n, b, m, d, bias, out)),
    scores: (a, n, b, m, d, out) => queued(() => backend.scores(a, n, b, m, d, out)),
    ...(backend.separableSmooth && {
      separableSmooth: (kx, cols, ky, rows, src, width, out) =>
        queued(() => backend.separableSmooth!(kx, cols, ky, rows, src, width, out)),
    }),
    async dispose() {},
  };
}

/**
 * A slot for the kernel `factory` makes (default none: the JS kernel). A factory that rejects
 * leaves the JS kernel in the slot, with the reason.
 */
export function createKernelSlot(factory?: () => Promise<MatmulBackend>): KernelSlot {
  const js = serialisedKernel(createJsBackend());
  let started: Promise<StartedKernel> | null = null;
  let fast: MatmulBackend | null = null;
  let disposed = false;
  return {
    js,
    get() {
      if (disposed) return Promise.reject(new Error('the kernel slot was disposed'));
      started ??= factory
        ? factory().then(
            (backend): StartedKernel => {
              fast = backend;
              return { backend: serialisedKernel(backend), fallback: null };
            },
            (error: unknown): StartedKernel => ({
              backend: js,
              fallback: `The fast matrix kernel could not start (${errorMessage(error)}), so the slower JavaScript kernel is used.`,
            }),
          )
        : Promise.resolve({ backend: js, fallback: null });
      return started;
    },
    async dispose() {
      disposed = true;
      await started;
      await fast?.dispose();
      fast = null;
    },
  };
}
