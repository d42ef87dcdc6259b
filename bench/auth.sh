#!/usr/bin/env bash
# Login cost and its effect on everything else: login p50 with the argon2id parameters
# in use, and GET /api/v1/auth/me p99 alone and while 50 logins run at once (argon2
# runs on its own thread pool, so the goal is within 2x of idle).
#   CLAIMS=20000 bench/auth.sh     (the data set size hardly matters here)
CLAIMS=${CLAIMS:-20000}
NEEDS="oha"
source "$(dirname "$0")/lib.sh"
OUT=$BENCH_DIR/auth
rm -rf "$OUT" && mkdir -p "$OUT"
login_body="{\"email\": \"reviewer0002@bench.factdesk.test\", \"password\": \"$PASSWORD\"}"
me_token=$(token reviewer0001@bench.factdesk.test)
RATE=${RATE:-200}

echo "==> login, one at a time (40 logins)"
oha --no-tui --output-format json -n 40 -c 1 -m POST -T application/json -d "$login_body" \
  "$BASE/api/v1/auth/login" >"$OUT/login.json"

echo "==> GET /auth/me at $RATE requests/s for 15 s, alone"
oha --no-tui --output-format json -z 15s -c 8 -q "$RATE" -H "Authorization: Bearer $me_token" \
  "$BASE/api/v1/auth/me" >"$OUT/me-idle.json"

echo "==> the same while 50 concurrent logins run"
oha --no-tui --output-format json -z 19s -c 50 -m POST -T application/json -d "$login_body" \
  "$BASE/api/v1/auth/login" >"$OUT/login-flood.json" &
flood=$!
sleep 2
oha --no-tui --output-format json -z 15s -c 8 -q "$RATE" -H "Authorization: Bearer $me_token" \
  "$BASE/api/v1/auth/me" >"$OUT/me-flood.json"
wait $flood

python3 - "$OUT" <<'PY' | tee "$OUT/summary.txt"
import json, sys, os
out = sys.argv[1]
load = lambda name: json.load(open(os.path.join(out, name)))
login, idle, flood, logins = load("login.json"), load("me-idle.json"), load("me-flood.json"), load("login-flood.json")
ms = lambda r, p: r["latencyPercentiles"][p] * 1000
codes = lambda r: r["statusCodeDistribution"]
print(f"login p50 (argon2id m=19456 KiB, t=2, p=1): {ms(login, 'p50'):.0f} ms  {codes(login)}")
print(f"GET /auth/me p99 alone                   : {ms(idle, 'p99'):.2f} ms  {codes(idle)}")
print(f"GET /auth/me p99 during 50 logins        : {ms(flood, 'p99'):.2f} ms  {codes(flood)}")
print(f"ratio                                    : {ms(flood, 'p99') / ms(idle, 'p99'):.2f}  (goal <= 2)")
print(f"logins completed during the flood        : {logins['summary']['requestsPerSec']:.1f}/s  {codes(logins)}")
PY
