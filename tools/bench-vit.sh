#!/usr/bin/env bash
# ViT encoder throughput: vitstream (DJL PyTorch) fp32 and bf16 next to ONNX Runtime on the same
# random weights, 224x224, batches 1/8/32. Builds what it needs, then runs
# io.vitstream.backbone.bench.ViTBenchmark (backbone test sources) in a forked JVM.
#
#   tools/bench-vit.sh --out docs/benchmarks.md        # full run (about 10 minutes), writes the table
#   tools/bench-vit.sh --quick --presets S/16          # a quick look, prints only
#
# Options: --presets S/16,B/16  --batches 1,8,32  --quick  --out FILE  --python /usr/bin/python3  --no-ort
# The ONNX files come from tools/export_onnx.py, which needs Debian's torch (/usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
./mvnw -q -B -pl backbone -am install -DskipTests
exec ./mvnw -q -B -pl backbone exec:exec@vit-benchmark -Dbench.args="$*"
