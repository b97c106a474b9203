#!/usr/bin/env python3
"""Generates detector-api/src/main/resources/org/anomaly4j/tensor/inplace_ops.pt (run once; committed).

DJL's JNI exposes ReLU and clamp only as out-of-place ops. The built-in backbones call these three
in-place ATen ops through this parameter-free TorchScript module instead (one interpreter call
each), which saves an allocation and a pass over every activation:

* ``relu_(x)``: ``torch.relu_(x)``
* ``relu6_(x)``: ``hardtanh_(x, 0, 6)`` (torchvision's ReLU6)
* ``add_relu_(x, y)``: ``x.add_(y).relu_()`` (the end of a ResNet block)

Each returns its (modified) first argument. Usage: ``/usr/bin/python3 tools/make_inplace_ops.py``.
"""
import os
import zipfile

import torch
from torch import Tensor

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "detector-api", "src", "main", "resources",
                   "org", "anomaly4j", "tensor", "inplace_ops.pt")


class InplaceOps(torch.nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return x

    @torch.jit.export
    def relu_(self, x: Tensor) -> Tensor:
        return torch.relu_(x)

    @torch.jit.export
    def relu6_(self, x: Tensor) -> Tensor:
        return torch.nn.functional.hardtanh_(x, 0.0, 6.0)

    @torch.jit.export
    def add_relu_(self, x: Tensor, y: Tensor) -> Tensor:
        return torch.relu_(x.add_(y))


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    torch.jit.script(InplaceOps().eval()).save(OUT)
    with zipfile.ZipFile(OUT) as z:  # drop the debug records (source ranges): smaller, same module
        entries = [(i, z.read(i.filename)) for i in z.infolist() if not i.filename.endswith(".debug_pkl")]
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_STORED) as z:
        for info, data in entries:
            z.writestr(info, data)
    m = torch.jit.load(OUT)
    x = torch.tensor([-1.0, 3.0, 7.0])
    assert m.relu6_(x.clone()).tolist() == [0.0, 3.0, 6.0]
    assert m.add_relu_(x.clone(), torch.tensor([0.5, -4.0, 1.0])).tolist() == [0.0, 0.0, 8.0]
    print(f"wrote {OUT} ({os.path.getsize(OUT):,} bytes)")


if __name__ == "__main__":
    main()
