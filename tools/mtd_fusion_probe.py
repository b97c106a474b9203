"""Probe (not part of the library): does fusing PatchCore and PaDiM maps beat either on MTD?

Runs the reference PatchCore (strides 4, 8, 16 on the stride-8 grid, 1% coreset) and PaDiM of
../shared/reference/run_image_ad.py on the MTD protocol, scores the training images too, standardises each
method's maps by the mean and standard deviation of its training-image pixels (no test data), averages them
and prints image AUROC / pixel AUROC / AUPRO for each method and for the fusion (image score = max of the
fused map, or the mean of the two image scores standardised over the training images).
Usage: /usr/bin/python3 tools/mtd_fusion_probe.py [--reference DIR] [--data DIR] [--backbone FILE] [--threads N]
"""
import argparse
import sys
import time

import numpy as np
import torch

ap = argparse.ArgumentParser()
ap.add_argument("--reference", default="../shared/reference")
ap.add_argument("--data", default="../shared/data/mtd")
ap.add_argument("--backbone", default="../shared/models/mobilenet_v2_imagenet/features.pt")
ap.add_argument("--threads", type=int, default=2)
args = ap.parse_args()
sys.path.insert(0, args.reference)
import common as C  # noqa: E402
from run_image_ad import embed_padim, embed_patchcore, kcenter_greedy, nn_search  # noqa: E402

torch.set_num_threads(args.threads)
split = C.load_mtd(args.data)
bb = C.Backbone(args.backbone)
H, W = split.test.shape[1:3]


def features(x):
    return [bb(x[sl]) for sl in C.batches(len(x), 16)]


t0 = time.time()
f_train, f_test = features(split.train), features(split.test)
E = torch.cat([embed_patchcore(f, "s4s8s16").permute(0, 2, 3, 1).reshape(-1, 152) for f in f_train])
bank = E[kcenter_greedy(E, 0.01, 0)].contiguous()
del E


def patchcore_maps(fs):
    maps, raw_max = [], []
    for f in fs:
        e = embed_patchcore(f, "s4s8s16")
        b, c, h, w = e.shape
        d, _ = nn_search(e.permute(0, 2, 3, 1).reshape(-1, c).contiguous(), bank)
        raw_max.append(d.view(b, -1).amax(1))
        maps.append(C.to_anomaly_map(d.view(b, h, w), (H, W)))
    return torch.cat(maps).numpy(), torch.cat(raw_max).numpy()


X = torch.cat([embed_padim(f).flatten(2) for f in f_train])
N, Cc, P = X.shape
hw = embed_padim(f_train[0]).shape[-2:]
mean = X.mean(0)
inv = torch.empty(P, Cc, Cc)
for s in range(0, P, 256):
    xc = (X[:, :, s:s + 256] - mean[:, s:s + 256]).permute(2, 0, 1)
    inv[s:s + 256] = torch.linalg.inv(torch.bmm(xc.transpose(1, 2), xc) / (N - 1) + 0.01 * torch.eye(Cc))
del X
meanT = mean.t().unsqueeze(1)


def padim_maps(fs):
    maps = []
    for f in fs:
        e = embed_padim(f)
        b = e.shape[0]
        delta = e.reshape(b, Cc, P).permute(2, 0, 1) - meanT
        d = (torch.bmm(delta, inv) * delta).sum(2).t().clamp_min(0).sqrt().reshape(b, hw[0], hw[1])
        maps.append(C.to_anomaly_map(d, (H, W)))
    return torch.cat(maps).numpy()


pc_test, pc_test_raw = patchcore_maps(f_test)
pc_train, _ = patchcore_maps(f_train)
pd_test, pd_train = padim_maps(f_test), padim_maps(f_train)
print(f"fit and scoring {time.time() - t0:.0f} s", flush=True)


def mx(maps):
    return maps.reshape(len(maps), -1).max(1)


def report(name, image_scores, maps):
    r = C.evaluate(split, image_scores, maps)
    per = ", ".join(f"{k[3:]} {100 * v:.1f}" for k, v in r["image_auroc_per_type"].items())
    print(f"{name:44s} image {100 * r['image_auroc']:.2f}  pixel {100 * r['pixel_auroc']:.2f}  "
          f"AUPRO {100 * r['aupro_0.3']:.2f}  ({per})", flush=True)


report("PatchCore 1% s4s8s16@s8, max patch", pc_test_raw, pc_test)
report("PatchCore 1% s4s8s16@s8, max of map", mx(pc_test), pc_test)
report("PaDiM", mx(pd_test), pd_test)
fused = ((pc_test - pc_train.mean()) / pc_train.std() + (pd_test - pd_train.mean()) / pd_train.std()) / 2
pcs, pds = mx(pc_train), mx(pd_train)
zs = ((mx(pc_test) - pcs.mean()) / pcs.std() + (mx(pd_test) - pds.mean()) / pds.std()) / 2
report("fusion, standardised image scores", zs, fused)
report("fusion, max of the fused map", mx(fused), fused)
