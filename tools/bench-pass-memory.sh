#!/usr/bin/env bash
# Peak memory and speed of 8 1080p frames through a real-shape DETR-R50 (made in Java, random
# weights) under different vitstream.batch.max-pixels, fp32 and bf16, each cell in a fresh JVM
# (io.vitstream.heads.bench.PassMemoryBenchmark, heads test sources). No Python needed.
#
#   tools/bench-pass-memory.sh                                  # limits 0, 2000000, 1100000; about 5 minutes
#   tools/bench-pass-memory.sh --batch 4 --limits 0,2000000 --precisions bf16 --runs 1
set -euo pipefail
cd "$(dirname "$0")/.."
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
./mvnw -q -B -o -pl backbone,heads -am package -DskipTests
classpath=heads/target/test-classpath.txt
./mvnw -q -B -o -pl heads org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$classpath"
exec java -Xmx1g -Dai.djl.offline=true -Doffline=true -Dai.djl.pytorch.num_threads="${THREADS:-2}" \
  -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "heads/target/test-classes:heads/target/classes:backbone/target/test-classes:backbone/target/classes:$(cat "$classpath")" \
  io.vitstream.heads.bench.PassMemoryBenchmark "$@"
