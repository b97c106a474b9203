#!/usr/bin/env bash
# MTD image AUROC, pixel AUROC and AUPRO of every reconstruction detector, trained from scratch (no
# pretrained weights): BENCHMARKS.md protocol (224x224 masks and maps), models on 64x64 grey, default
# parameters otherwise (AnoGAN: 20 search steps); the GAN-based detectors over seeds 0, 1 and 2. One eval
# per row, peak memory from /usr/bin/time -v.
# Usage: tools/mtd_reconstruction_table.sh [OUT_DIR] [ROW...]   (from the repository root; ROW as named below,
# e.g. "ae-l2" or "ganomaly-s1"; no ROW = all)
set -uo pipefail
OUT="${1:-out/mtd-reconstruction}"
shift || true
DATA="${MTD_DATA:-/work/shared/data/mtd}"
BASE="width=64;height=64;channels=1"
ROWS=(
  "ae-l2 ae loss=l2"
  "ae-ssim ae loss=ssim"
  "vae vae"
  "memae memae"
  "restoration restoration"
  "riad riad"
)
for s in 0 1 2; do
  for m in ganomaly f-anogan alocc; do ROWS+=("$m-s$s $m seed=$s"); done
  ROWS+=("anogan-s$s anogan seed=$s;search_steps=20")   # 20 latent-search steps per image (default 100)
done
want() { local r; for r in "${SELECTED[@]}"; do [ "$r" = "$1" ] && return 0; done; return 1; }
SELECTED=("$@")
mkdir -p "$OUT"
. "$(dirname "$0")/mtd_common.sh"
for row in "${ROWS[@]}"; do
  read -r name method extra <<<"$row"
  if [ ${#SELECTED[@]} -gt 0 ] && ! want "$name"; then continue; fi
  params=()
  IFS=';' read -ra kv <<<"$BASE${extra:+;$extra}"
  for p in "${kv[@]}"; do params+=(--param "$p"); done
  mtd_eval "$OUT" "$name" --method "$method" "${params[@]}"
done
