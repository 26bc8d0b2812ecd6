/**
 * Threads for onnxruntime-web's kernel in the page's workers: how many a job gets depends on
 * whether the person waits for it (training) or uses the page meanwhile (re-encoding on a K
 * move). The kernel itself is shared per worker through src/som/kernelSlot.ts.
 */

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
