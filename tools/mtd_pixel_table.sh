#!/usr/bin/env bash
# MTD image AUROC, pixel AUROC and AUPRO of every pixel-level detector (BENCHMARKS.md protocol, 224x224),
# feature methods on the shared ImageNet MobileNetV2 (TorchScript feature extractor), Patch SVDD and the
# handcrafted patch GMM from scratch. One eval per detector with default parameters; peak memory from
# /usr/bin/time -v. Usage: tools/mtd_pixel_table.sh [OUT_DIR] [METHOD...]   (from the repository root)
set -uo pipefail
OUT="${1:-out/mtd-pixel}"
shift || true
DATA="${MTD_DATA:-/work/shared/data/mtd}"
BB="backbone=torchscript:${MTD_BACKBONE:-/work/shared/models/mobilenet_v2_imagenet/features.pt}"
METHODS=("$@")
[ ${#METHODS[@]} -eq 0 ] && METHODS=(patchcore padim spade stfpm dfr uninformed-students patch-svdd patch-gmm)
mkdir -p "$OUT"
. "$(dirname "$0")/mtd_common.sh"
for m in "${METHODS[@]}"; do
  case "$m" in
    patch-svdd|patch-gmm) params=() ;;
    *) params=(--param "$BB") ;;
  esac
  mtd_eval "$OUT" "$m" --method "$m" "${params[@]}"
done
