# Shared by the benchmark scripts: a release build, a private PostgreSQL cluster and a
# Factdesk server on it, seeded by generate.py. Source it; it leaves BIN, URL (the
# database), BASE (the server), DATA and a `cleanup` trap behind.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_DIR=${BENCH_DIR:-$PWD/target/bench}
CLAIMS=${CLAIMS:-1000000}
PORT=${PORT:-18080}
DATA=$BENCH_DIR/data
# BIN=/path/to/factdesk (with SKIP_BUILD=1) measures another build, e.g. an earlier commit.
BIN=${BIN:-$PWD/target/release/factdesk}
BASE=http://127.0.0.1:$PORT
mkdir -p "$BENCH_DIR"

# Each script names the load tools it needs besides these in NEEDS (oha, pgbench).
for tool in psql python3 curl jq bc ${NEEDS:-}; do
  command -v "$tool" >/dev/null || {
    echo "missing $tool: cargo install oha; apt-get install postgresql-client python3 curl jq bc" >&2
    exit 1
  }
done

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "==> release build"
  cargo build --release --locked --quiet
fi

start_server() {
  FACTDESK_DATA_DIR=$DATA FACTDESK_LISTEN=127.0.0.1:$PORT FACTDESK_LOG_FORMAT=json RUST_LOG=warn \
    FACTDESK_DB_POOL_SIZE=${POOL:-32} FACTDESK_HTTP_WORKERS=${WORKERS:-0} FACTDESK_WORKER=false \
    FACTDESK_LOGIN_LIMIT_PER_CLIENT=1000000 FACTDESK_LOGIN_LIMIT_PER_ACCOUNT=1000000 \
    DATABASE_URL= "$BIN" serve >>"$BENCH_DIR/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    curl -fs "$BASE/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the server did not become ready; see $BENCH_DIR/server.log" >&2
  exit 1
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
cleanup() { stop_server; }
trap cleanup EXIT

echo "==> server on the embedded default in $DATA"
start_server
URL="postgres://factdesk@localhost/factdesk?host=$DATA/postgres/run"
PASSWORD=$(awk '/admin@demo.factdesk.test/ {print $3}' "$DATA/demo-logins.txt")

have=$(psql "$URL" -Atc "SELECT count(*) FROM claims")
if [ "$have" -lt "$CLAIMS" ]; then
  echo "==> generating $CLAIMS claims (once; kept in $DATA)"
  hash=$(psql "$URL" -Atc "SELECT password_hash FROM users WHERE email = 'admin@demo.factdesk.test'")
  python3 bench/generate.py --database-url "$URL" --claims "$CLAIMS" --password-hash "$hash" --truncate --vacuum ${GENERATE_ARGS:-}
fi

# Settle the tables (dead rows from migrations, fresh statistics) so autovacuum does not run during a measurement.
psql "$URL" -qc "VACUUM (ANALYZE)" >/dev/null

# A Bearer token for `email` (every bench user has the demo admin's password).
token() {
  curl -fs "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\": \"$1\", \"password\": \"$PASSWORD\"}" | jq -r .token
}
