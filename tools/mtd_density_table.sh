#!/usr/bin/env bash
# MTD image AUROC of every density and one-class detector on the shared ImageNet MobileNetV2 features
# (TorchScript feature extractor, global average pool of its last level). One eval per detector, peak
# memory from /usr/bin/time -v. Usage: tools/mtd_density_table.sh [OUT_DIR]   (from the repository root)
set -uo pipefail
OUT="${1:-out/mtd-density}"
DATA="${MTD_DATA:-/work/shared/data/mtd}"
BB="backbone:torchscript:${MTD_BACKBONE:-/work/shared/models/mobilenet_v2_imagenet/features.pt}"
mkdir -p "$OUT"
. "$(dirname "$0")/mtd_common.sh"
run() { mtd_eval "$OUT" "$@"; }
run knn           --method knn      --param "features=$BB"
run gaussian      --method gaussian --param "features=$BB"
run ocsvm         --method ocsvm    --param "features=$BB"
run svdd          --method svdd     --param "features=$BB"
run kde           --method kde      --param "features=$BB,pca=64"
run gmm           --method gmm      --param "features=$BB,pca=64"
run flow          --method flow     --param "features=$BB,pca=64"
run pixel-gaussian --method pixel-gaussian
run deep-svdd     --method deep-svdd
