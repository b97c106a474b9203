#!/usr/bin/env python3
"""Generates the tiny TorchScript feature extractor the unit tests load (run once; output committed).

Writes, under detector-api/src/test/resources/org/anomaly4j/tensor/:

* ``tiny_features.pt``: a 2-level conv net (scripted), normalised ``[N,3,H,W]`` -> tuple of maps
  ``[N,4,H/2,W/2]`` (stride 2) and ``[N,8,H/4,W/4]`` (stride 4); seeded weights, a few KB.
* ``tiny_view.pt``: one conv whose map goes through ``view`` (which needs NCHW strides), so the test
  can check that such a module is not fed channels-last.
* ``tiny_features_expected.safetensors``: its two outputs for the deterministic input
  ``x[n,c,h,w] = sin(0.01 * i)`` with ``i`` the row-major index, shape ``[2,3,32,32]``, so the test
  can check that DJL runs it exactly as PyTorch does.

Usage: /usr/bin/python3 tools/make_test_torchscript.py   (needs torch; any 1.x/2.x)
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_backbone import write_safetensors  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "detector-api", "src", "test", "resources",
                   "org", "anomaly4j", "tensor")


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 4, 3, stride=2, padding=1), nn.ReLU(inplace=True))
        self.down = nn.Sequential(nn.Conv2d(4, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.ReLU6(inplace=True))

    def forward(self, x):
        a = self.stem(x)
        b = self.down(a)
        return a, b


class TinyView(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, stride=2, padding=1)

    def forward(self, x):
        a = self.conv(x)
        n, c, h, w = a.shape
        return (a.view(n, c * h * w).view(n, c, h, w),)


def strip_debug(path):
    """Drops the TorchScript debug records (source ranges) from the archive: smaller, same model."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist() if not i.filename.endswith(".debug_pkl")]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for info, data in entries:
            z.writestr(info, data)


def main():
    torch.manual_seed(1234)
    model = Tiny().eval()
    with torch.no_grad():
        bn = model.down[1]
        bn.running_mean.uniform_(-0.5, 0.5)
        bn.running_var.uniform_(0.5, 2.0)
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.uniform_(-0.2, 0.2)
    scripted = torch.jit.script(model)
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "tiny_features.pt")
    scripted.save(path)
    strip_debug(path)
    torch.manual_seed(99)
    view_path = os.path.join(OUT, "tiny_view.pt")
    torch.jit.script(TinyView().eval()).save(view_path)
    strip_debug(view_path)
    x = torch.sin(0.01 * torch.arange(2 * 3 * 32 * 32, dtype=torch.float32)).reshape(2, 3, 32, 32)
    with torch.no_grad():
        a, b = scripted(x)
    write_safetensors(os.path.join(OUT, "tiny_features_expected.safetensors"), {"out0": a, "out1": b},
                      {"input": "sin(0.01 * i), shape [2,3,32,32]", "torch": torch.__version__})
    print(f"wrote {path} ({os.path.getsize(path):,} bytes), outputs {tuple(a.shape)} {tuple(b.shape)}")


if __name__ == "__main__":
    main()
