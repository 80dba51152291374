#!/usr/bin/env bash
# Peak memory and speed of 8 1080p frames through a real-shape DETR-R50 (made in Java, random
# weights) under different vitstream.batch.max-pixels, fp32 and bf16, each cell in a fresh JVM
# (io.vitstream.heads.bench.PassMemoryBenchmark, heads test sources). No Python needed.
#
#   tools/bench-pass-memory.sh                                  # limits 0, 2000000, 1100000; about 5 minutes
#   tools/bench-pass-memory.sh --batch 4 --limits 0,2000000 --precisions bf16 --runs 1
set -euo pipefail
cd "$(dirname "$0")/.."
exec tools/heads-java.sh -Xmx1g io.vitstream.heads.bench.PassMemoryBenchmark "$@"
