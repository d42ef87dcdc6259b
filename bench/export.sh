#!/usr/bin/env bash
# The CSV export of every claim through the release server, against psql's \copy of
# the same query on the same database, in the same run; and the server's peak RSS
# during the export against its idle RSS.
#   CLAIMS=1000000 bench/export.sh   (BENCH_DIR=target/bench-export GENERATE_ARGS="--verdict-state approved" for every claim with a verdict)
source "$(dirname "$0")/lib.sh"
OUT=$BENCH_DIR/export
rm -rf "$OUT" && mkdir -p "$OUT"
editor=$(token editor01@bench.factdesk.test)

# The report's query as the server sends it ($1 is the public URL base).
query=$(python3 - <<'PY'
import re
src = open("src/reports/mod.rs").read()
select = re.search(r'pub const SELECT: &str = "(.*?)";', src, re.S).group(1)
order = re.search(r'pub const ORDER: &str = "(.*?)";', src).group(1)
sql = select.replace("\\\n", "").replace('\\"', '"')
sql = re.sub(r"\s+", " ", sql).replace("$1", "'http://127.0.0.1'")
print(sql + " WHERE true" + order)
PY
)

rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
idle=$(rss)

echo "==> psql \\copy of the same query"
start=$(date +%s.%N)
psql "$URL" -qc "\\copy ($query) to '$OUT/psql.csv' csv header"
psql_s=$(echo "$(date +%s.%N) - $start" | bc)

echo "==> GET /api/v1/reports/verdicts?format=csv through the server"
peak=$idle
( while kill -0 "$SERVER_PID" 2>/dev/null; do r=$(rss); [ "$r" -gt "$(cat "$OUT/peak" 2>/dev/null || echo 0)" ] && echo "$r" >"$OUT/peak"; sleep 0.05; done ) &
sampler=$!
# The server's CPU time (user + system) over the export: less moved by the machine's
# other load than the wall time.
cpu() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
cpu_before=$(cpu)
start=$(date +%s.%N)
curl -fsS -o "$OUT/server.csv" -H "Authorization: Bearer $editor" "$BASE/api/v1/reports/verdicts?format=csv"
server_s=$(echo "$(date +%s.%N) - $start" | bc)
server_cpu=$(echo "($(cpu) - $cpu_before) / $(getconf CLK_TCK)" | bc -l)
kill $sampler 2>/dev/null || true
peak=$(cat "$OUT/peak")

rows_server=$(python3 -c "import csv,sys; print(sum(1 for _ in csv.reader(open('$OUT/server.csv', newline=''))))")
python3 - "$psql_s" "$server_s" "$idle" "$peak" "$rows_server" "$server_cpu" <<'PY' | tee "$OUT/summary.txt"
import sys
psql_s, server_s, idle, peak, rows = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
server_cpu = float(sys.argv[6])
print(f"psql \\copy          : {psql_s:6.1f} s")
print(f"Factdesk CSV export : {server_s:6.1f} s ({rows - 1} claims), server CPU {server_cpu:.1f} s")
print(f"ratio               : {server_s / psql_s:6.2f}  (goal <= 1.5)")
print(f"server RSS          : idle {idle / 1024:.0f} MB, peak {peak / 1024:.0f} MB, +{(peak - idle) / 1024:.0f} MB (goal < 64 MB)")
PY
