#!/usr/bin/env bash
# End-to-end check with a Kafka client that is not ours: Debian's kcat produces JPEG/PNG files
# into `frames` and reads the result topics back from the PACKAGED service running on its
# embedded broker. Verifies counts, keys, lineage offsets and the dead-letter reason.
#
# Usage: tools/e2e-kcat.sh            (after ./mvnw package; needs kcat, curl, java)
# Env:   MODEL=<checkpoint folder|demo> (default: demo if bundled), PORT (Kafka, default 19092), HTTP (default 18080)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${MODEL:-}" ]; then
  # The bundled demo model when it is there, else the committed DETR parity fixture.
  if [ -f stream/src/main/resources/demo/models/fashion-scenes-detr/config.json ]; then MODEL=demo
  else MODEL=heads/src/test/resources/fixtures/vit-detr-small; fi
fi
PORT=${PORT:-19092}
HTTP=${HTTP:-18080}
BROKER=127.0.0.1:$PORT
WORK=$(mktemp -d)
LOG=$WORK/service.log
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

fail() { echo "e2e-kcat: FAIL: $*" >&2; echo "--- service log tail ---" >&2; tail -30 "$LOG" >&2; exit 1; }

OPT_OUT_TRACKING=true java -Xmx1g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
  -Dvitstream.model.path="$MODEL" -Dvitstream.demo.enabled=false \
  -Dvitstream.kafka.embedded.data-dir="$WORK/kafka" -Dvitstream.kafka.embedded.port="$PORT" \
  -Dquarkus.http.port="$HTTP" -jar stream/target/quarkus-app/quarkus-run.jar >"$LOG" 2>&1 &
PID=$!

for i in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$HTTP/q/health/ready" >/dev/null 2>&1; then break; fi
  kill -0 $PID 2>/dev/null || fail "service exited during start-up"
  sleep 1
done
curl -fs "http://127.0.0.1:$HTTP/q/health/ready" >/dev/null || fail "service not ready after 120 s"

# Frames: every bundled demo frame plus two fixture images, under three cameras, and one file
# that is not an image.
FILES=()
while IFS= read -r f; do FILES+=("$f"); done < <(ls stream/src/main/resources/demo/frames/images/*.png 2>/dev/null | head -12)
FILES+=(backbone/src/test/resources/fixtures/preprocess/photo.jpg backbone/src/test/resources/fixtures/preprocess/gradient_shapes.png)
N=0
for f in "${FILES[@]}"; do
  cam="kcat-cam-$((N % 3))"
  kcat -P -b "$BROKER" -t frames -k "$cam" -H "vitstream.sequence=$N" "$f" || fail "kcat could not produce $f"
  N=$((N + 1))
done
echo "this is not an image" > "$WORK/bad.jpg"
kcat -P -b "$BROKER" -t frames -k kcat-bad -H "vitstream.sequence=0" "$WORK/bad.jpg"
echo "e2e-kcat: produced $N frames and 1 bad frame with kcat"

count_keys() { # topic -> lines "key" for records whose key starts with kcat-cam
  kcat -C -b "$BROKER" -t "$1" -o beginning -e -q -f '%k\n' 2>/dev/null | grep -c '^kcat-cam-' || true
}
for topic in classifications detections; do
  got=0
  for i in $(seq 1 60); do
    got=$(count_keys "$topic")
    [ "$got" -ge "$N" ] && break
    sleep 1
  done
  [ "$got" -eq "$N" ] || fail "$topic: expected $N results for kcat cameras, got $got"
  # Lineage: every result names the frames topic and a sequence number we sent.
  seqs=$(kcat -C -b "$BROKER" -t "$topic" -o beginning -e -q -f '%k %s\n' 2>/dev/null | grep '^kcat-cam-' \
         | sed -E 's/.*"sequence":([0-9]+).*/\1/' | sort -n | uniq | wc -l)
  [ "$seqs" -eq "$N" ] || fail "$topic: expected $N distinct sequence numbers in lineage, got $seqs"
  echo "e2e-kcat: $topic has $got results with keys and lineage as sent"
done

reason=""
for i in $(seq 1 30); do
  reason=$(kcat -C -b "$BROKER" -t frames-dlq -o beginning -e -q -f '%k %h\n' 2>/dev/null | grep '^kcat-bad' | grep -o 'vitstream.dlq.reason=[a-z-]*' | head -1 || true)
  [ -n "$reason" ] && break
  sleep 1
done
[ "$reason" = "vitstream.dlq.reason=not-an-image" ] || fail "dead letter reason: got '$reason'"
echo "e2e-kcat: bad frame dead-lettered with $reason"

curl -fs "http://127.0.0.1:$HTTP/results/latest?camera=kcat-cam-0" | grep -q '"camera":"kcat-cam-0"' || fail "GET /results/latest has no kcat-cam-0"
kill -TERM $PID; wait $PID || true
echo "e2e-kcat: OK"
