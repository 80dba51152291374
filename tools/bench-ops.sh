#!/usr/bin/env bash
# The fp32 ViT encoder layer op by op on the PyTorch engine (io.vitstream.backbone.bench.OpProfile,
# backbone test sources): each op at a preset's shapes, GFLOP/s of the matrix products, the sum
# over the layers. Prints a Markdown table.
#
#   tools/bench-ops.sh                          # ViT-B/16, batch 8
#   tools/bench-ops.sh --preset S/16 --batch 1
set -euo pipefail
cd "$(dirname "$0")/.."
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
./mvnw -q -B -pl backbone -am install -DskipTests
exec ./mvnw -q -B -pl backbone exec:exec@op-profile -Dbench.args="$*"
