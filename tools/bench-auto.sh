#!/usr/bin/env bash
# What vitstream.model.precision=auto measures and chooses on this machine, at real size:
# random-weight ViT-S/16 and ViT-B/16 classifiers (HF layout), batches 1 and 8, every candidate
# path timed and checked against fp32 exactly as the service does at start (PathSelection).
#
#   tools/bench-auto.sh                                  # S/16 and B/16, batches 1 and 8
#   tools/bench-auto.sh --presets B/16 --batches 8 --timed-batches 5
set -euo pipefail
cd "$(dirname "$0")/.."
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
./mvnw -q -B -pl heads -am install -DskipTests
exec ./mvnw -q -B -pl heads exec:exec@auto-benchmark -Dbench.args="$*"
