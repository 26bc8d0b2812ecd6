/**
 * One matrix kernel per worker, shared by everything the worker runs (training sessions,
 * encodings, unit labels): started once, on first use; on failure replaced by the JS kernel
 * with a sentence saying why; and serialised, because an onnxruntime session is not re-entrant
 * and two jobs' calls interleave at every await.
 */
import { createJsBackend, type MatmulBackend } from '../../src/som/backend.ts';

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
}

/**
 * WASM threads for the fast kernel of a job the person waits for (training) on a machine of
 * `cores` logical cores: every core, at most 4 (beyond that the GEMM of a 32×32 map gains
 * little; onnxruntime-web caps its own default there too). The page's main thread mostly waits
 * during training, and the job ends sooner: measured in Chromium on 2 cores (`npm run bench`,
 * browser section), 10 epochs of 10,000×512 on 32×32 take 3.2 s with 2 threads, 5.5 s with 1.
 * The kernel's threads, not shard workers, are the page's parallelism: ORT in shard workers
 * pays a worker and runtime start per run and was slower at every size measured.
 */
export function trainThreadsFor(cores: number): number {
  return Math.min(4, Math.max(1, Math.floor(cores)));
}

/**
 * WASM threads for a job that runs while the person is using the page (re-encoding the dataset
 * when K moves): cores − 1, so the page keeps a core to draw with, at least 1, at most 4.
 */
export function interactiveThreadsFor(cores: number): number {
  return Math.min(4, Math.max(1, Math.floor(cores) - 1));
}

/** The message of a thrown value, for the sentences that say why a fallback happened. */
export function reasonOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : String(error);
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
  return {
    js,
    get() {
      started ??= factory
        ? factory().then(
            (backend): StartedKernel => ({ backend: serialisedKernel(backend), fallback: null }),
            (error: unknown): StartedKernel => ({
              backend: js,
              fallback: `The fast matrix kernel could not start (${reasonOf(error)}), so the slower JavaScript kernel is used.`,
            }),
          )
        : Promise.resolve({ backend: js, fallback: null });
      return started;
    },
  };
}
