#!/usr/bin/env bash
# Memory of the packaged service per model size and precision (the numbers behind the budget in
# deploy/README.md): RSS at start, peak RSS with batch 8 of 1080p JPEG frames, heap and native
# parts. Packages the service, writes random-weight S/16, B/16, L/16 checkpoints under
# deploy/target/memory-budget (once), prints a Markdown table. About 10 minutes here.
#
#   tools/bench-memory.sh
#   tools/bench-memory.sh --presets B/16 --frames 16
set -euo pipefail
cd "$(dirname "$0")/.."
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
./mvnw -q -B install -DskipTests
exec ./mvnw -q -B -pl deploy exec:exec@memory-budget -Dbench.args="$*"
