#!/usr/bin/env python3
"""Side-by-side reference for `anomaly4j bench coreset`: the PatchCore k-center greedy loop in
plain PyTorch (anomalib semantics, the formulation of the project's Python reference), timed on a
bank that the Java benchmark dumped as float32 .npy.

Semantics: start row given (not kept); then floor(n * ratio) times: update the minimum distance to
the last pick (||x||^2 - 2 x.c + ||c||^2 in float32), pick the argmax, set its distance to 0.
One torch thread (on 2 cores that was faster than two for this loop).

    /usr/bin/python3 tools/bench_coreset_reference.py --bank sub.npy --ratio 0.1 --start 123 \
        --picks picks.npy

Prints one JSON object: rows, dim, ratio, start, coreset_size, seconds, torch version.
"""
import argparse
import json
import time

import numpy as np
import torch


def kcenter_greedy(x, k, start):
    n = x.shape[0]
    sq = (x * x).sum(1)
    idx = start
    min_d = torch.full((n,), float("inf"))
    buf = torch.empty(n)
    sel = np.empty(k, dtype=np.int64)
    for i in range(k):
        torch.mv(x, x[idx], out=buf)
        buf.mul_(-2.0).add_(sq).add_(sq[idx])
        torch.minimum(min_d, buf, out=min_d)
        idx = int(torch.argmax(min_d))
        min_d[idx] = 0.0
        sel[i] = idx
    return sel


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bank", required=True, help="float32 .npy of shape [n, d]")
    ap.add_argument("--ratio", type=float, required=True)
    ap.add_argument("--start", type=int, default=None,
                    help="start row (default: numpy.random.default_rng(0).integers(n), as the reference)")
    ap.add_argument("--picks", default=None, help="write the picked rows here (int64 .npy)")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    x = torch.from_numpy(np.load(a.bank).astype(np.float32, copy=False))
    n = x.shape[0]
    k = int(n * a.ratio)
    start = a.start if a.start is not None else int(np.random.default_rng(0).integers(n))
    torch.set_num_threads(a.threads)
    t0 = time.perf_counter()
    sel = kcenter_greedy(x, k, start)
    sec = time.perf_counter() - t0
    if a.picks:
        np.save(a.picks, sel)
    print(json.dumps({"rows": int(n), "dim": int(x.shape[1]), "ratio": a.ratio, "start": start,
                      "coreset_size": k, "seconds": round(sec, 3), "threads": a.threads,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
