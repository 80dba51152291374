#!/usr/bin/env bash
# frames/s of DETR-R50 (800x1066) and DINOv2-S/14 (224), random weights at real shape: ours (DJL
# PyTorch) fp32 and bf16 next to ONNX Runtime fp32 on the same weights, in one run, with the load
# average before and after (io.vitstream.heads.bench.BackboneBenchmark, heads test sources).
#
#   tools/bench-backbones.sh                      # batches 1,4 (DETR) and 1,8 (DINOv2), about 10 minutes
#   tools/bench-backbones.sh --quick --detr-batches 1 --dinov2-batches 1
#
# The HF folders and ONNX files are made (once, under heads/target/bench-backbones) by
# tools/make_bench_backbones.py in a transformers venv with onnx (tools/README.md); set VENV_PYTHON
# (default /tmp/bench15-venv/bin/python). Runs through tools/heads-java.sh (builds backbone and
# heads into target/, no install).
set -euo pipefail
cd "$(dirname "$0")/.."
export OPT_OUT_TRACKING=true DJL_OFFLINE=true HF_HUB_OFFLINE=1
detr=1,4 dinov2=1,8
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --detr-batches) detr="${args[$((i + 1))]}" ;;
    --dinov2-batches) dinov2="${args[$((i + 1))]}" ;;
  esac
done
work=heads/target/bench-backbones
"${VENV_PYTHON:-/tmp/bench15-venv/bin/python}" tools/make_bench_backbones.py "$work" \
  --detr-batches "$detr" --dinov2-batches "$dinov2" 2>&1 | grep -v "Writing model shards" || true
exec tools/heads-java.sh -Xmx6g io.vitstream.heads.bench.BackboneBenchmark --work "$work" "$@"
