#!/usr/bin/env bash
# What an attention map costs (GET /v1/explain, vitstream.explain.every): ViT S/16 and B/16
# (random weights, HF layout, written under stream/target/bench-explain) on a 1080p JPEG, the
# attentions pass, the rollout as a full product and as one row, the explanation and its PNG;
# then the rollout alone at larger token counts (io.vitstream.stream.bench.ExplainBenchmark,
# stream test sources). Prints Markdown (docs/benchmarks.md quotes it). About two minutes.
#
#   tools/bench-explain.sh                    # S/16 and B/16, median of 5
#   tools/bench-explain.sh --presets B/16 --runs 9
set -euo pipefail
cd "$(dirname "$0")/.."
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
./mvnw -q -B -o -pl stream test-compile
classpath=stream/target/test-classpath.txt
./mvnw -q -B -o -pl stream org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$classpath"
cd stream
exec java -Dai.djl.offline=true -Doffline=true -Dai.djl.pytorch.num_threads="${THREADS:-2}" \
  -cp "target/test-classes:target/classes:$(cat "$PWD/../$classpath")" io.vitstream.stream.bench.ExplainBenchmark "$@"
