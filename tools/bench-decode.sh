#!/usr/bin/env bash
# Frames/s on one thread from an encoded camera frame to a 224x224 ViT input, per decode path
# (ImageIO alone, the native decoder alone, the path before it, exact, fast), JPEG and PNG at
# 640x480 to 3840x2160, in one run. Prints a Markdown table (docs/benchmarks.md quotes one).
#
#   tools/bench-decode.sh                # 2 s per cell, about 2 minutes
#   tools/bench-decode.sh --seconds 0.5  # a quick look
set -euo pipefail
cd "$(dirname "$0")/.."
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
./mvnw -q -B -pl backbone -am install -DskipTests
exec ./mvnw -q -B -pl backbone exec:exec@decode-benchmark -Dbench.args="$*"
