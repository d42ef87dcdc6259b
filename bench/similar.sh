#!/usr/bin/env bash
# Similar-claim search over the generator's claims: GET /api/v1/claims?similar_to=<text>
# for 300 statements sampled from the data (each with a word changed, as a new claim
# would differ), one after another, as an editor; prints p50/p95/p99.
#   CLAIMS=1000000 bench/similar.sh
source "$(dirname "$0")/lib.sh"
OUT=$BENCH_DIR/similar
rm -rf "$OUT" && mkdir -p "$OUT"
editor=$(token editor01@bench.factdesk.test)
psql "$URL" -Atc "SELECT statement FROM claims TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT 300" >"$OUT/statements.txt"

python3 - "$BASE" "$editor" "$OUT/statements.txt" <<'PY' | tee "$OUT/summary.txt"
import json, sys, time, urllib.parse, urllib.request
base, token, path = sys.argv[1:4]
texts = [l.strip() for l in open(path) if l.strip()]
def get(text):
    q = urllib.parse.quote(text)
    req = urllib.request.Request(f"{base}/api/v1/claims?similar_to={q}", headers={"Authorization": f"Bearer {token}"})
    t = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        body = json.load(r)
    return (time.perf_counter() - t) * 1000, len(body["items"])
for t in texts[:20]:
    get(t)  # warm up
times, found = [], []
for t in texts:
    words = t.split()
    if len(words) > 3:
        words[len(words) // 2] = "reportedly"
    ms, n = get(" ".join(words))
    times.append(ms)
    found.append(n)
times.sort()
pct = lambda p: times[min(len(times) - 1, int(p / 100 * len(times)))]
print(f"similar-claim search over the data set: {len(times)} queries, p50 {pct(50):.1f} ms, p95 {pct(95):.1f} ms, p99 {pct(99):.1f} ms (goal p95 < 30 ms)")
print(f"queries with at least one similar claim: {sum(1 for n in found if n)} of {len(found)}")
PY

# How good the answers are: for 20 of the changed statements, the best match the
# sketch finds (as the server searches: at most 200 candidates sharing sketch values)
# against the exact best by trigram similarity over every claim (slow: seconds each).
python3 - "$URL" "$OUT/statements.txt" <<'PY' | tee -a "$OUT/summary.txt"
import subprocess, sys
sys.path.insert(0, "bench")
from generate import search_sketch
url, path = sys.argv[1:3]
def psql(q):
    return subprocess.run(["psql", url, "-Atc", q], capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
same, texts = 0, [l.strip() for l in open(path) if l.strip()][:20]
for t in texts:
    words = t.split()
    if len(words) > 3:
        words[len(words) // 2] = "reportedly"
    q = " ".join(words).replace("'", "''")
    exact = float(psql(f"SET pg_trgm.similarity_threshold = 0.3; SELECT coalesce(max(similarity(statement, '{q}')), 0) FROM claims WHERE statement % '{q}'"))
    arr = "{" + ",".join(map(str, search_sketch(q))) + "}"
    found = float(psql(f"SELECT coalesce(max(similarity(statement, '{q}')), 0) FROM (SELECT statement FROM claims WHERE statement_sketch && '{arr}'::bigint[] LIMIT 200) k"))
    same += abs(exact - found) < 1e-9
print(f"best match as good as the exact search's: {same} of {len(texts)}")
PY
