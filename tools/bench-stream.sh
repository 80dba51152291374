#!/usr/bin/env bash
# Whole-service throughput next to model-only throughput, then RSS over minutes of steady input.
# Packages the service, then runs io.vitstream.stream.bench.StreamBenchmark (stream test sources).
#
#   tools/bench-stream.sh --minutes 10 --out docs/benchmarks.md    # full run, writes the table
#   tools/bench-stream.sh --minutes 1 --count 200                  # a quick look, prints only
#
# Options: --model demo|FOLDER --frames demo|FOLDER --batch 8 --precision fp32 --count 400
#          --minutes 10 --topic detections --out FILE --decode exact|fast --decode-threads 2
set -euo pipefail
cd "$(dirname "$0")/.."
export OPT_OUT_TRACKING=true
./mvnw -q -B -pl stream -am install -DskipTests
exec ./mvnw -q -B -pl stream exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.vitstream.stream.bench.StreamBenchmark -Dexec.args="$*"
