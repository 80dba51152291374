#!/usr/bin/env bash
# Runs a main class of the heads test sources (benchmarks) on PyTorch with this machine's bench
# settings: builds backbone and heads into target/ offline (no install: their classes come before
# the ~/.m2 SNAPSHOTs on the classpath), DJL offline, 2 intra-op threads (THREADS), 1 inter-op.
#
#   tools/heads-java.sh -Xmx6g io.vitstream.heads.bench.BackboneBenchmark --quick
set -euo pipefail
cd "$(dirname "$0")/.."
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
heap="$1" main="$2"
shift 2
./mvnw -q -B -o -pl backbone,heads -am package -DskipTests
classpath=heads/target/test-classpath.txt
./mvnw -q -B -o -pl heads org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$classpath"
exec java "$heap" -Dai.djl.offline=true -Doffline=true -Dai.djl.pytorch.num_threads="${THREADS:-2}" \
  -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "heads/target/test-classes:heads/target/classes:backbone/target/test-classes:backbone/target/classes:$(cat "$classpath")" \
  "$main" "$@"
