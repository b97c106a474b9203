#!/usr/bin/env bash
# The PatchCore / PaDiM variants tried toward the pixel issue's "beyond the references" targets on MTD (README,
# pixel section): one `./anomaly4j eval` per row on the shared ImageNet MobileNetV2, logs and reports in OUT_DIR.
# Usage: tools/mtd_pixel_attempts.sh [OUT_DIR] [ROW...]   (from the repository root; rows as named below)
set -uo pipefail
OUT="${1:-out/mtd-pixel-attempts}"
shift || true
DATA="${MTD_DATA:-/work/shared/data/mtd}"
BB="backbone=torchscript:${MTD_BACKBONE:-/work/shared/models/mobilenet_v2_imagenet/features.pt}"
ROWS=("$@")
[ ${#ROWS[@]} -eq 0 ] && ROWS=(pc1 pc1-map pc1-4816 pc1-4816-rw pc1-4816-map pc1-320 pc1-4816-320 pc1-4816-320-map padim-320)
mkdir -p "$OUT"
. "$(dirname "$0")/mtd_common.sh"
PC=(--method patchcore --param "$BB" --param coreset_ratio=0.01)
for r in "${ROWS[@]}"; do
  case "$r" in
    pc1) args=("${PC[@]}") ;;
    pc1-map) args=("${PC[@]}" --param image_score=map) ;;
    pc1-4816) args=("${PC[@]}" --param layers=4,8,16) ;;
    pc1-4816-rw) args=("${PC[@]}" --param layers=4,8,16 --param image_score=reweighted) ;;
    pc1-4816-map) args=("${PC[@]}" --param layers=4,8,16 --param image_score=map) ;;
    pc1-320) args=("${PC[@]}" --param size=320) ;;
    pc1-4816-320) args=("${PC[@]}" --param layers=4,8,16 --param size=320) ;;
    pc1-4816-320-map) args=("${PC[@]}" --param layers=4,8,16 --param size=320 --param image_score=map) ;;
    padim-320) args=(--method padim --param "$BB" --param size=320) ;;
    *) echo "unknown row $r" >&2; exit 2 ;;
  esac
  mtd_eval "$OUT" "$r" "${args[@]}"
done
