#!/usr/bin/env bash
# The live desk under load: STREAMS open event streams on one release server (default
# 1000), RATE changes a second (default 50) for DURATION seconds (default 20), each a claim's
# priority set through the API. Prints the time from a change's request to its event
# on every stream (p50, p99: an upper bound of commit to delivery; goal p99 < 200 ms),
# the server's memory per idle stream, and whether any stream was dropped or reset.
#
#   bench/live.sh                     # builds the release server first
#   SKIP_BUILD=1 STREAMS=2000 bench/live.sh
CLAIMS=${CLAIMS:-2000}
source "$(dirname "$0")/lib.sh"
STREAMS=${STREAMS:-1000}
RATE=${RATE:-50}
DURATION=${DURATION:-20}
# Each stream is a socket on both ends.
ulimit -n "$(( STREAMS * 2 + 1024 ))" 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# The load client (examples/live_load.rs): tokio on every core, so it costs little
# beside the server it measures.
cargo build --release --locked --quiet --example live_load
TOKEN=$(token admin@demo.factdesk.test)
CHANGED=$(psql "$URL" -Atc "SELECT string_agg(id::text, ',') FROM (SELECT id FROM claims WHERE status NOT IN ('approved', 'published', 'dropped') ORDER BY id LIMIT 100) c")
echo "==> $STREAMS streams, $RATE changes/s for ${DURATION}s"
result=$(target/release/examples/live_load "$BASE" "$TOKEN" "$CHANGED" "$SERVER_PID" "$STREAMS" "$RATE" "$DURATION")
echo "$result" | jq .
echo "$(date -u +%FT%TZ) live: $result" >> "$BENCH_DIR/figures.txt"
