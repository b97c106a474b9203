#!/usr/bin/env python3
"""The Python side of ``anomaly4j bench ae-train``: training speed of the convolutional autoencoder
of anomaly4j's ``ae`` detector (``detector-reconstruction`` ``Nets``) in plain PyTorch, the same
network, loss (MSE), optimizer (Adam, lr 1e-3) and batch size.

Network (``d`` stages, ``f_i = filters * 2^min(i, 3)``)::

    features: d x [Conv2d(4, stride 2, pad 1, f_i) - BatchNorm2d (not on the first) - LeakyReLU(0.2)]
    encoder:  features - flatten - Linear(latent)
    decoder:  Linear(f_{d-1} * (S/2^d)^2) - view - ReLU
              - (d-1) x [Upsample(2, nearest) - Conv2d(3, pad 1, f_{i-1}) - BatchNorm2d - ReLU]
              - Upsample(2, nearest) - Conv2d(3, pad 1, channels) - sigmoid

Usage (the Java benchmark drives it with ``--serve``, interleaving Python and Java rounds so that
load from other processes hits both alike)::

    /usr/bin/python3 tools/ae_train_bench.py --serve --size 64 --channels 1 --filters 32 --latent 100 \\
        --depth 3 --batch 32 --threads 1

prints ``{"ready": true, "torch": ..., "params": N}``, then answers each stdin line ``train N`` with
``{"seconds": s}`` for N training steps (a fresh shuffle of the in-memory data, one batch per step,
zero_grad / forward / MSE / backward / Adam step), until ``quit``. Without ``--serve`` it times
``--rounds`` rounds of ``--steps`` steps and prints the images/s.
"""
import argparse
import json
import sys
import time

import torch
from torch import nn


class AE(nn.Module):
    def __init__(self, channels, size, filters, latent, depth):
        super().__init__()
        enc = []
        c = channels
        for i in range(depth):
            f = filters << min(i, 3)
            enc.append(nn.Conv2d(c, f, 4, 2, 1))
            if i > 0:
                enc.append(nn.BatchNorm2d(f))
            enc.append(nn.LeakyReLU(0.2))
            c = f
        self.features = nn.Sequential(*enc)
        self.top = c
        self.hw = size >> depth
        self.fc = nn.Linear(c * self.hw * self.hw, latent)
        self.fc2 = nn.Linear(latent, c * self.hw * self.hw)
        dec = []
        for i in range(depth - 1, 0, -1):
            f = filters << min(i - 1, 3)
            dec += [nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c, f, 3, 1, 1), nn.BatchNorm2d(f), nn.ReLU()]
            c = f
        dec += [nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c, channels, 3, 1, 1)]
        self.decoder = nn.Sequential(*dec)

    def forward(self, x):
        z = self.fc(torch.flatten(self.features(x), 1))
        h = torch.relu(self.fc2(z).view(-1, self.top, self.hw, self.hw))
        return torch.sigmoid(self.decoder(h))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--channels", type=int, default=1)
    ap.add_argument("--filters", type=int, default=32)
    ap.add_argument("--latent", type=int, default=100)
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--serve", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = AE(a.channels, a.size, a.filters, a.latent, a.depth)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = nn.MSELoss()
    pool = torch.rand(max(a.steps, 16) * a.batch, a.channels, a.size, a.size)

    def run(steps):
        order = torch.randperm(pool.shape[0])
        t0 = time.perf_counter()
        for s in range(steps):
            idx = order[(s * a.batch) % pool.shape[0]:][: a.batch]
            x = pool[idx]
            opt.zero_grad()
            loss = loss_fn(model(x), x)
            loss.backward()
            opt.step()
        return time.perf_counter() - t0

    run(2)  # warm-up
    params = sum(p.numel() for p in model.parameters())
    if a.serve:
        print(json.dumps({"ready": True, "torch": torch.__version__, "params": params, "threads": a.threads}),
              flush=True)
        for line in sys.stdin:
            parts = line.split()
            if not parts or parts[0] == "quit":
                break
            try:
                n = int(parts[1]) if len(parts) > 1 else a.steps
                print(json.dumps({"seconds": run(n)}), flush=True)
            except Exception as e:  # report, keep serving
                print(json.dumps({"error": str(e)}), flush=True)
        return
    times = sorted(run(a.steps) for _ in range(a.rounds))
    med = times[len(times) // 2]
    print(json.dumps({"torch": torch.__version__, "params": params, "threads": a.threads,
                      "images_per_s": a.steps * a.batch / med, "median_s": med}))


if __name__ == "__main__":
    main()
