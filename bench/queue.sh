#!/usr/bin/env bash
# The reviewer's queue under load: GET /api/v1/claims?assignee=me&status=in_review&limit=50
# through the release server (oha, Bearer tokens of 4 reviewers by default, one oha process each), against pgbench running
# exactly the SQL the server runs for one such request (captured from PostgreSQL's log,
# the session check included), at the same concurrency, in the same run.
#   CLAIMS=1000000 CONCURRENCY=64 DURATION=20 WARMUP=5 bench/queue.sh
NEEDS="oha pgbench"
source "$(dirname "$0")/lib.sh"
CONCURRENCY=${CONCURRENCY:-64}
DURATION=${DURATION:-20}
REVIEWERS=${REVIEWERS:-4}
PATH_Q="/api/v1/claims?assignee=me&status=in_review&limit=50"
OUT=$BENCH_DIR/queue
rm -rf "$OUT" && mkdir -p "$OUT"

tokens=()
for i in $(seq 1 $REVIEWERS); do
  tokens+=("$(token "$(printf 'reviewer%04d@bench.factdesk.test' "$i")")")
done

echo "==> capturing the statements of one request per reviewer"
log=$DATA/postgres/postgres.log
for i in $(seq 0 $((REVIEWERS - 1))); do
  # Warm the request once so the session's last_seen_at is fresh (no UPDATE in the capture).
  curl -fs -o /dev/null "$BASE$PATH_Q" -H "Authorization: Bearer ${tokens[$i]}"
  psql "$URL" -qc "ALTER SYSTEM SET log_min_duration_statement = 0" -c "SELECT pg_reload_conf()" >/dev/null
  sleep 0.3
  before=$(wc -l <"$log")
  curl -fs -o "$OUT/response-$i.json" "$BASE$PATH_Q" -H "Authorization: Bearer ${tokens[$i]}"
  sleep 0.3
  psql "$URL" -qc "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" >/dev/null
  tail -n +"$((before + 1))" "$log" | python3 bench/capture_sql.py >"$OUT/request-$i.sql"
done
echo "    $(grep -c ';$' "$OUT/request-0.sql") statements per request; items in the answer: $(jq '.items | length' "$OUT/response-0.json")"

run_oha() { # rate per process (0 = as fast as possible), connections per process, label, seconds
  local pids=()
  for i in $(seq 0 $((REVIEWERS - 1))); do
    local rate_args=()
    # At a fixed rate every request is also written to SQLite, for the steady-state figures.
    [ "$1" != 0 ] && rate_args=(-q "$1" --db-url "$OUT/oha-$3-$i.db")
    # One thread per oha process: four processes share the 2 cores with the server and
    # PostgreSQL, and more threads would only add scheduling work.
    oha --no-tui --output-format json --worker-threads 1 -z "${4:-$DURATION}s" -c "$2" "${rate_args[@]}" \
      -H "Authorization: Bearer ${tokens[$i]}" "$BASE$PATH_Q" >"$OUT/oha-$3-$i.json" 2>>"$OUT/oha.log" &
    pids+=($!)
  done
  wait "${pids[@]}"
}

# Both sides are measured with warm caches: the data was just loaded or the cluster
# just started, and whichever ran first would otherwise pay for reading it from disk.
WARMUP=${WARMUP:-5}
echo "==> warming up: Factdesk and pgbench for ${WARMUP}s each (not measured)"
run_oha 0 $((CONCURRENCY / REVIEWERS)) warmup "$WARMUP"
files=()
for i in $(seq 0 $((REVIEWERS - 1))); do files+=(-f "$OUT/request-$i.sql"); done
pgbench -n -M prepared -c "$CONCURRENCY" -j 2 -T "$WARMUP" "${files[@]}" \
  -h "$DATA/postgres/run" -U factdesk factdesk >"$OUT/pgbench-warmup.txt" 2>&1

# CPU time (user + system, in clock ticks) of the server, and of the cluster's postmaster
# and its children, so the summary can split the cost of a request between the two.
cpu_ticks() {
  local pids=("$@") total=0 pid
  for pid in "${pids[@]}"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
postmaster=$(head -n 1 "$DATA/postgres/data/postmaster.pid")
echo "==> Factdesk at $CONCURRENCY connections for ${DURATION}s"
server_before=$(cpu_ticks "$SERVER_PID")
pg_pids=("$postmaster" $(pgrep -P "$postmaster"))
pg_before=$(cpu_ticks "${pg_pids[@]}")
run_oha 0 $((CONCURRENCY / REVIEWERS)) max
server_ticks=$(($(cpu_ticks "$SERVER_PID") - server_before))
pg_ticks=$(($(cpu_ticks "${pg_pids[@]}") - pg_before))
rps=$(jq -s '[.[].summary.requestsPerSec] | add' "$OUT"/oha-max-*.json)
ok=$(jq -s '[.[].statusCodeDistribution["200"] // 0] | add' "$OUT"/oha-max-*.json)
all=$(jq -s '[.[].statusCodeDistribution | to_entries[].value] | add' "$OUT"/oha-max-*.json)

echo "==> pgbench at $CONCURRENCY connections for ${DURATION}s (the same statements)"
pgbench -n -M prepared -c "$CONCURRENCY" -j 2 -T "$DURATION" "${files[@]}" \
  -h "$DATA/postgres/run" -U factdesk factdesk >"$OUT/pgbench.txt" 2>&1
tps=$(awk '/^tps = / {print $3; exit}' "$OUT/pgbench.txt")

# The fixed-rate phase opens new connections, and the first requests on them run slow
# (median 6-20 ms instead of 2-3 ms for the first 40 of each oha process). The first
# SETTLE seconds count as a lead-in: the p99 goal is judged on the DURATION seconds
# after it, and the p99 of the whole phase is printed next to it.
SETTLE=${SETTLE:-2}
half=$(python3 -c "print(max(1, int($rps / 2 / $REVIEWERS)))")
echo "==> Factdesk at a fixed $((half * REVIEWERS)) requests/s (half its maximum) for ${SETTLE}s + ${DURATION}s"
rm -f "$OUT"/oha-fixed-*.db
run_oha "$half" $((CONCURRENCY / REVIEWERS)) fixed $((SETTLE + DURATION))

python3 - "$rps" "$tps" "$ok" "$all" "$SETTLE" "$OUT" "$server_ticks" "$pg_ticks" "$(getconf CLK_TCK)" "$DURATION" <<'PY' | tee "$OUT/summary.txt"
import glob, os, sqlite3, sys
rps, tps, ok, total, settle = map(float, sys.argv[1:6])
server_ticks, pg_ticks, hz, seconds = map(float, sys.argv[7:11])
durations, whole, not_ok = [], [], 0
for db in glob.glob(f"{sys.argv[6]}/oha-fixed-*.db"):
    # `start` is seconds since that oha process began.
    for start, duration, status in sqlite3.connect(db).execute("SELECT start, duration, status FROM oha"):
        whole.append(duration * 1000)
        not_ok += status != 200
        if start >= settle:
            durations.append(duration * 1000)
def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]
print(f"Factdesk max throughput : {rps:8.0f} requests/s ({ok:.0f} of {total:.0f} answered 200)")
print(f"pgbench, same SQL       : {tps:8.0f} transactions/s")
print(f"ratio                   : {rps / tps:8.2f}  (goal >= 0.60)")
requests = rps * seconds
print(f"CPU per request at max  : server {server_ticks / hz / requests * 1000:.2f} ms, "
      f"PostgreSQL {pg_ticks / hz / requests * 1000:.2f} ms (pgbench: {os.cpu_count() / tps * 1000:.2f} ms of the {os.cpu_count()} cores' time per transaction)")
print(f"at half the maximum     : p50 {pct(durations, 0.5):.1f} ms, p99 {pct(durations, 0.99):.1f} ms "
      f"over {len(durations)} requests after the first {settle:.0f} s (goal p99 < 25 ms)")
print(f"  including the lead-in : p50 {pct(whole, 0.5):.1f} ms, p99 {pct(whole, 0.99):.1f} ms over {len(whole)} requests "
      f"({not_ok} not 200)")
PY
