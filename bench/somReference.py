"""The numpy/OpenBLAS peer of `sdr train` for `npm run bench` (src/cli/trainBenchCli.ts).

A whole batch-SOM process, timed from the outside like `sdr train`: Python start, numpy import,
load the .npy, scale rows to unit length, PCA initialisation, the epochs, save the codebook.
The algorithm is the one in src/som/trainer.ts (Kohonen's batch map): per epoch every row's
best unit by argmax(x·w − ½‖w‖²) (one BLAS product per chunk), S_j and c_j summed per unit,
then w = H·S / H·c with H = exp(−d_grid²/(2σ²)) on the rectangular grid, σ decaying
exponentially from max(rows, cols)/2 to 1. PCA: mean and top two principal directions of a
seeded sample of 2,048 rows, units laid out on that plane (as src/som/init.ts does).

Usage: python3 bench/somReference.py DATA.npy OUT.npy [--grid 32x32] [--epochs 10]
       [--chunk-rows N] [--mmap] [--rows N]
--mmap reads the file through a memory map, chunk by chunk (the streamed peer: memory stays at a
chunk's worth plus what the OS caches). Prints one JSON line with phase times (ms) on stdout.
"""

import argparse
import json
import sys
import time

T_START = time.perf_counter()
import numpy as np  # noqa: E402  (timed: importing numpy is part of the process)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("data")
    p.add_argument("out")
    p.add_argument("--grid", default="32x32")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--chunk-rows", type=int, default=16384)
    p.add_argument("--mmap", action="store_true")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rows", type=int, default=0, help="use only the first ROWS rows (0 = all)")
    a = p.parse_args()
    rows, cols = (int(v) for v in a.grid.split("x"))
    m = rows * cols
    phases = {"importMs": (time.perf_counter() - T_START) * 1000}

    t = time.perf_counter()
    raw = np.load(a.data, mmap_mode="r" if a.mmap else None)
    n, d = raw.shape
    if a.rows > 0:
        n = min(n, a.rows)
        raw = raw[:n]
    if a.mmap:
        X = None
    else:
        X = np.asarray(raw, dtype=np.float32)
        X /= np.linalg.norm(X, axis=1, keepdims=True)
    phases["loadMs"] = (time.perf_counter() - t) * 1000

    def chunks():
        for s in range(0, n, a.chunk_rows):
            if X is not None:
                yield X[s : s + a.chunk_rows]
            else:
                c = np.asarray(raw[s : s + a.chunk_rows], dtype=np.float32)
                c /= np.linalg.norm(c, axis=1, keepdims=True)
                yield c

    t = time.perf_counter()
    rng = np.random.default_rng(a.seed)
    pick = np.sort(rng.choice(n, size=min(n, 2048), replace=False))
    sample = np.asarray(raw[pick], dtype=np.float32)
    sample /= np.linalg.norm(sample, axis=1, keepdims=True)
    mean = sample.mean(axis=0)
    centred = sample - mean
    _, sv, vt = np.linalg.svd(centred, full_matrices=False)
    std = sv[:2] / np.sqrt(max(1, len(sample) - 1))
    gy, gx = np.mgrid[0:rows, 0:cols]
    u = (gx.ravel() / max(1, cols - 1)) * 2 - 1
    v = (gy.ravel() / max(1, rows - 1)) * 2 - 1
    W = (mean + np.outer(u * std[0], vt[0]) + np.outer(v * std[1], vt[1])).astype(np.float32)
    dist2 = (gy.ravel()[:, None] - gy.ravel()[None, :]) ** 2 + (
        gx.ravel()[:, None] - gx.ravel()[None, :]
    ) ** 2
    phases["initMs"] = (time.perf_counter() - t) * 1000

    t = time.perf_counter()
    r0, r1 = max(rows, cols) / 2, 1.0
    epoch_ms = []
    qe = 0.0
    for e in range(a.epochs):
        te = time.perf_counter()
        sigma = r1 if a.epochs == 1 else r0 * (r1 / r0) ** (e / (a.epochs - 1))
        S = np.zeros((m, d), dtype=np.float64)
        c = np.zeros(m, dtype=np.float64)
        bias = -0.5 * np.einsum("ij,ij->i", W, W)
        qe = 0.0
        for x in chunks():
            scores = x @ W.T
            scores += bias
            bmu = scores.argmax(axis=1)
            best = scores[np.arange(len(x)), bmu]
            qe += np.sqrt(np.maximum(0.0, 1.0 - 2.0 * best)).sum()
            order = np.argsort(bmu, kind="stable")
            units, starts = np.unique(bmu[order], return_index=True)
            S[units] += np.add.reduceat(x[order], starts, axis=0)
            c += np.bincount(bmu, minlength=m)
        H = np.exp(-dist2 / (2 * sigma * sigma))
        num = H @ S
        den = H @ c
        ok = den > 1e-280
        W[ok] = (num[ok] / den[ok, None]).astype(np.float32)
        epoch_ms.append((time.perf_counter() - te) * 1000)
    phases["trainMs"] = (time.perf_counter() - t) * 1000
    phases["epochMs"] = [round(v, 1) for v in epoch_ms]

    t = time.perf_counter()
    np.save(a.out, W.astype(np.float16))
    phases["saveMs"] = (time.perf_counter() - t) * 1000
    phases["processMs"] = (time.perf_counter() - T_START) * 1000
    phases["rows"] = int(n)
    phases["lastEpochQe"] = float(qe) / n
    print(json.dumps({k: (round(v, 1) if isinstance(v, float) else v) for k, v in phases.items()}))


if __name__ == "__main__":
    sys.exit(main())
