#!/usr/bin/env python3
"""The Python side of ``anomaly4j bench backbone``: forward speed of a backbone in PyTorch.

Measures, for one architecture, the eager torchvision feature extractor (the layers anomaly4j
returns: ResNet ``layer1..layer4``, MobileNetV2 ``features.3/6/13/18``) and, when given, a
TorchScript feature extractor file, both under ``torch.no_grad()`` with ``torch.set_num_threads``,
each also fed channels-last (``eager_cl``, ``torchscript_cl``: input converted inside the timing).
Prints one JSON object on stdout::

    {"torch": "1.13.0", "threads": 2, "batch": 16, "size": 224,
     "eager": {"median_ms": ..., "images_per_s": ..., "times_ms": [...]},
     "torchscript": {...}}

Usage::

    /usr/bin/python3 tools/bench_backbone.py --arch resnet18 [--torchscript FILE] \\
        [--batch 16] [--size 224] [--threads 2] [--warmup 3] [--iterations 10] [--serve]

With ``--serve`` (how ``anomaly4j bench backbone`` drives it, interleaving Python and Java rounds
so that load from other processes hits both alike) it loads and warms up the models, prints one
JSON line ``{"ready": true, ...}``, then answers each stdin line ``eager N`` or ``torchscript N``
with a JSON line ``{"times_ms": [...]}`` of N timed forwards, until ``quit`` or end of input.

``--pil-preprocess DIR IMAGE...`` instead writes each image preprocessed as torchvision does for
ImageNet (PIL: resize shorter side 256 bilinear, centre crop 224, ToTensor, ImageNet Normalize) to
``DIR/<name>.f32``: raw little-endian float32 ``[3,224,224]``, so that a Java check can feed the
exact tensor the Python reference saw.
"""
import argparse
import copy
import json
import statistics
import sys
import time

import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from export_backbone import default_layers  # noqa: E402


def forward_times(fn, x, n):
    times = []
    with torch.no_grad():
        for _ in range(n):
            t0 = time.perf_counter()
            fn(x)
            times.append((time.perf_counter() - t0) * 1000.0)
    return times


def timed(fn, x, warmup, iterations):
    with torch.no_grad():
        for _ in range(warmup):
            fn(x)
    times = forward_times(fn, x, iterations)
    med = statistics.median(times)
    return {"median_ms": med, "images_per_s": x.shape[0] * 1000.0 / med, "times_ms": times}


def serve(models, x, warmup, info):
    with torch.no_grad():
        for fn in models.values():
            for _ in range(warmup):
                fn(x)
    print(json.dumps(dict(info, ready=True, models=sorted(models))), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        if parts[0] not in models:
            print(json.dumps({"error": "unknown model " + parts[0]}), flush=True)
            continue
        n = int(parts[1]) if len(parts) > 1 else 1
        print(json.dumps({"times_ms": forward_times(models[parts[0]], x, n)}), flush=True)


def pil_preprocess(out_dir, images):
    import os
    import torchvision.transforms as T
    from PIL import Image
    tf = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(),
                    T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    os.makedirs(out_dir, exist_ok=True)
    for path in images:
        x = tf(Image.open(path).convert("RGB")).contiguous()
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(out_dir, name + ".f32"), "wb") as f:
            f.write(x.numpy().astype("<f4").tobytes())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", default="resnet18")
    ap.add_argument("--torchscript")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--no-eager", action="store_true")
    ap.add_argument("--serve", action="store_true", help="answer timing requests on stdin (see above)")
    ap.add_argument("--pil-preprocess", metavar="DIR", help="write IMAGEs preprocessed to DIR (see above)")
    ap.add_argument("images", nargs="*")
    args = ap.parse_args()
    if args.pil_preprocess:
        pil_preprocess(args.pil_preprocess, args.images)
        return
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x = torch.randn(args.batch, 3, args.size, args.size)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "batch": args.batch,
           "size": args.size, "arch": args.arch}
    models = {}
    cl = torch.channels_last

    def on_channels_last(fn):
        return lambda t: fn(t.contiguous(memory_format=cl))

    if not args.no_eager:
        import torchvision
        from torchvision.models.feature_extraction import create_feature_extractor
        model = torchvision.models.get_model(args.arch, weights=None).eval()
        layers = default_layers(args.arch)
        models["eager"] = create_feature_extractor(model, return_nodes={k: k for k in layers}).eval()
        eager_cl = copy.deepcopy(models["eager"]).to(memory_format=cl)
        models["eager_cl"] = on_channels_last(eager_cl)
    if args.torchscript:
        models["torchscript"] = torch.jit.load(args.torchscript, map_location="cpu").eval()
        models["torchscript_cl"] = on_channels_last(models["torchscript"])
    if args.serve:
        serve(models, x, args.warmup, out)
        return
    for name, fn in models.items():
        out[name] = timed(fn, x, args.warmup, args.iterations)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
