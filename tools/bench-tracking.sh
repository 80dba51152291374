#!/usr/bin/env bash
# Time per frame of CameraAnalytics.update (tracking, 2 lines, 2 zones) for 5, 20 and 50 moving
# objects, and snapshot() size and time at 20 (io.vitstream.analytics.TrackingBenchmark, analytics
# test sources), on one thread. Prints Markdown (docs/benchmarks.md quotes it). About half a minute.
#
#   tools/bench-tracking.sh                              # 2000 warm-up and 5000 timed frames per size
#   tools/bench-tracking.sh --frames 20000 --warmup 5000
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o -pl analytics test-compile
classpath=analytics/target/test-classpath.txt
./mvnw -q -B -o -pl analytics org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$classpath"
exec java -cp "analytics/target/test-classes:analytics/target/classes:$(cat "$classpath")" \
  io.vitstream.analytics.TrackingBenchmark "$@"
