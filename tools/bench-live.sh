#!/usr/bin/env bash
# The live view at 16 cameras in headless Chromium (io.vitstream.stream.bench.LiveBenchmark,
# stream test sources): time from navigation start to the first frame drawn, and the CPU of the
# browser's renderer and of all its processes over 30 s, next to the service's on the same cores.
# Needs /usr/bin/chromium and /usr/bin/chromedriver. Prints a Markdown table (docs/benchmarks.md
# quotes it). About two minutes.
#
#   tools/bench-live.sh                                   # 16 cameras, 24 frames/s in all, 30 s
#   tools/bench-live.sh --cameras 4 --fps 8 --seconds 60
set -euo pipefail
cd "$(dirname "$0")/.."
export OPT_OUT_TRACKING=true SE_OFFLINE=true
# Packaged in the reactor, offline, nothing installed into ~/.m2; the classpath lists the sibling
# modules' target folders (stream comes last in the reactor, so its list is the one left).
classpath=stream/target/test-classpath.txt
./mvnw -q -B -o package org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -DskipTests \
  -pl backbone,results,heads,analytics,stream -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$classpath"
exec java -Xmx512m -Dai.djl.offline=true -Doffline=true \
  -cp "stream/target/test-classes:stream/target/classes:$(cat "$classpath")" \
  io.vitstream.stream.bench.LiveBenchmark "$@"
