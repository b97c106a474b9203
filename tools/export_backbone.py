#!/usr/bin/env python3
"""Export a torchvision or timm backbone for anomaly4j.

Two output formats:

* ``--format torchscript`` (default): a TorchScript *feature extractor*. Its ``forward`` takes a
  normalised float32 ``[N,3,H,W]`` batch and returns a **tuple** of feature maps, one per chosen
  layer, in the order given. anomaly4j loads it with ``Backbones.parse("torchscript:FILE")`` and
  finds the levels (stride, channels) with a probe forward.
* ``--format safetensors``: the model's ``state_dict`` in the safetensors format with torchvision's
  parameter names, for anomaly4j's built-in architectures
  (``Backbones.parse("resnet18:FILE")``, ``"wide_resnet50_2:FILE"``, ``"mobilenet_v2:FILE"``).
  Only floating-point tensors are written (``num_batches_tracked`` is left out); written by this
  script, so the ``safetensors`` Python package is not needed.

Examples::

    # ImageNet weights (downloads once through torchvision's cache)
    python3 tools/export_backbone.py --arch resnet18 --weights DEFAULT --out resnet18-features.pt
    python3 tools/export_backbone.py --arch wide_resnet50_2 --weights DEFAULT \\
        --format safetensors --out wide_resnet50_2.safetensors
    # random weights (seeded), layers of your choice, frozen (BatchNorm folded into the convs)
    python3 tools/export_backbone.py --arch resnet18 --weights none --seed 0 \\
        --layers layer2,layer3 --freeze --out r18-l23.pt
    # a timm model (pip install timm); layers are timm's feature indices
    python3 tools/export_backbone.py --source timm --arch convnext_tiny --weights DEFAULT \\
        --layers 0,1,2 --out convnext-features.pt
    # a state_dict you trained yourself
    python3 tools/export_backbone.py --arch resnet18 --weights my_resnet18.pth --out mine.pt

Layers are torchvision node names as accepted by
``torchvision.models.feature_extraction.create_feature_extractor`` (``get_graph_node_names``
lists them; ``--list-layers`` prints them). Defaults: ResNet / WideResNet / ResNeXt ``layer1..layer4``
(strides 4, 8, 16, 32), MobileNetV2 ``features.3,features.6,features.13,features.18`` (the same
strides), other models: required.

The exported feature extractor is checked against the eager model at two input sizes (max abs
difference printed). Needs ``torch`` and ``torchvision`` (Debian: python3-torch python3-torchvision).
"""
import argparse
import json
import os
import struct
import sys

import torch
from torch import nn

DEFAULT_LAYERS = {
    "resnet": ["layer1", "layer2", "layer3", "layer4"],
    "wide_resnet": ["layer1", "layer2", "layer3", "layer4"],
    "resnext": ["layer1", "layer2", "layer3", "layer4"],
    "mobilenet_v2": ["features.3", "features.6", "features.13", "features.18"],
}


def default_layers(arch):
    for prefix in sorted(DEFAULT_LAYERS, key=len, reverse=True):
        if arch.startswith(prefix):
            return DEFAULT_LAYERS[prefix]
    return None


def load_state_dict(path):
    if path.endswith(".safetensors"):
        return read_safetensors(path)
    sd = torch.load(path, map_location="cpu")
    if isinstance(sd, nn.Module):
        sd = sd.state_dict()
    if "state_dict" in sd and isinstance(sd["state_dict"], dict):
        sd = sd["state_dict"]
    return sd


def build_torchvision(arch, weights, seed):
    import torchvision
    torch.manual_seed(seed)
    w = weights
    if w is None or w.lower() == "none" or os.path.exists(w):
        model = torchvision.models.get_model(arch, weights=None)
        if w is not None and os.path.exists(w):
            model.load_state_dict(load_state_dict(w))
    else:
        model = torchvision.models.get_model(arch, weights=w)
    return model.eval()


def build_timm(arch, weights, seed, layers):
    import timm
    torch.manual_seed(seed)
    pretrained = weights is not None and weights.lower() not in ("none",) and not os.path.exists(weights)
    kwargs = {"features_only": True, "pretrained": pretrained}
    if layers:
        kwargs["out_indices"] = tuple(int(x) for x in layers)
    model = timm.create_model(arch, **kwargs)
    if weights is not None and os.path.exists(weights):
        model.load_state_dict(load_state_dict(weights), strict=False)
    return model.eval()


class TupleFeatures(nn.Module):
    """Wraps a model returning a dict or list of maps so that forward returns a tuple."""

    def __init__(self, body, keys=None):
        super().__init__()
        self.body = body
        self.keys = keys

    def forward(self, x):
        out = self.body(x)
        if self.keys is not None:
            return tuple(out[k] for k in self.keys)
        return tuple(out)


def feature_extractor(args):
    if args.source == "timm":
        model = build_timm(args.arch, args.weights, args.seed, args.layers)
        return TupleFeatures(model).eval(), model
    from torchvision.models.feature_extraction import create_feature_extractor
    model = build_torchvision(args.arch, args.weights, args.seed)
    layers = args.layers or default_layers(args.arch)
    if not layers:
        sys.exit(f"no default layers for {args.arch}: give --layers (see --list-layers)")
    body = create_feature_extractor(model, return_nodes={k: k for k in layers})
    return TupleFeatures(body, layers).eval(), model


def export_torchscript(args):
    wrapper, _ = feature_extractor(args)
    h, w = args.size
    example = torch.randn(1, 3, h, w)
    with torch.no_grad():
        ts = torch.jit.trace(wrapper, example, check_trace=False)
        if args.freeze:
            ts = torch.jit.freeze(ts.eval())
        for size in [(h, w), (h + 32, w + 64)]:
            x = torch.randn(2, 3, *size)
            ref, got = wrapper(x), ts(x)
            diff = max(float((a - b).abs().max()) for a, b in zip(ref, got))
            shapes = [tuple(t.shape) for t in got]
            print(f"check {size}: outputs {shapes}, max |traced - eager| = {diff:.3g}")
    ts.save(args.out)
    print(f"wrote {args.out} ({os.path.getsize(args.out):,} bytes)")


DTYPES = {"F32": (torch.float32, 4), "F16": (torch.float16, 2), "BF16": (torch.bfloat16, 2)}


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: tensor} in the safetensors format (8-byte LE header length, JSON, raw LE data)."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        code = next(c for c, (dt, _) in DTYPES.items() if dt == t.dtype)
        raw = t.view(torch.uint8).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        dt, size = DTYPES[e["dtype"]]
        a, b = e["data_offsets"]
        buf = bytearray(data[a:b])
        if dt == torch.bfloat16:
            t = torch.frombuffer(buf, dtype=torch.uint8).view(torch.bfloat16)
        else:
            t = torch.frombuffer(buf, dtype=dt)
        out[name] = t.reshape(e["shape"]).clone()
    return out


def export_safetensors(args):
    if args.source == "timm":
        import timm
        torch.manual_seed(args.seed)
        model = timm.create_model(args.arch, pretrained=args.weights not in (None, "none"))
    else:
        model = build_torchvision(args.arch, args.weights, args.seed)
    dtype = DTYPES[args.dtype][0]
    sd = {k: v.to(dtype) for k, v in model.state_dict().items() if v.is_floating_point()}
    write_safetensors(args.out, sd, {"format": "pt", "arch": args.arch, "source": args.source})
    print(f"wrote {args.out}: {len(sd)} tensors ({os.path.getsize(args.out):,} bytes)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", required=True, help="torchvision or timm model name, e.g. resnet18")
    ap.add_argument("--source", choices=["torchvision", "timm"], default="torchvision")
    ap.add_argument("--weights", default="none",
                    help="'none' (random, seeded), 'DEFAULT' or a torchvision weights enum name "
                         "(downloads), or a state_dict file (.pt/.pth/.safetensors)")
    ap.add_argument("--seed", type=int, default=0, help="torch seed for random weights")
    ap.add_argument("--layers", type=lambda s: [x for x in s.split(",") if x],
                    help="comma-separated layer node names (timm: feature indices)")
    ap.add_argument("--format", choices=["torchscript", "safetensors"], default="torchscript")
    ap.add_argument("--dtype", choices=sorted(DTYPES), default="F32", help="safetensors dtype")
    ap.add_argument("--size", type=lambda s: [int(x) for x in s.split("x")], default=[224, 224],
                    help="trace input HxW (default 224x224)")
    ap.add_argument("--freeze", action="store_true",
                    help="torch.jit.freeze the TorchScript (folds BatchNorm into the convs)")
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: leave)")
    ap.add_argument("--list-layers", action="store_true", help="print the node names and exit")
    ap.add_argument("--out", help="output file")
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    if args.list_layers:
        from torchvision.models.feature_extraction import get_graph_node_names
        _, nodes = get_graph_node_names(build_torchvision(args.arch, "none", 0))
        print("\n".join(nodes))
        return
    if not args.out:
        ap.error("--out is required")
    if args.format == "torchscript":
        export_torchscript(args)
    else:
        export_safetensors(args)


if __name__ == "__main__":
    main()
