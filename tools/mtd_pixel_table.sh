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
for m in "${METHODS[@]}"; do
  case "$m" in
    patch-svdd|patch-gmm) params=() ;;
    *) params=(--param "$BB") ;;
  esac
  echo "== $m: ${params[*]}" | tee "$OUT/$m.log"
  /usr/bin/time -v ./anomaly4j eval --method "$m" "${params[@]}" --data "$DATA" --layout mtd --out "$OUT/$m" \
    >>"$OUT/$m.log" 2>&1
  echo "exit $?" >>"$OUT/$m.log"
  grep -A2 "img AUROC" "$OUT/$m.log" | tail -1
done
