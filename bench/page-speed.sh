#!/usr/bin/env bash
# How soon the web app shows its data: a fresh load of the queue, a claim page and an
# article page (navigation start to the data laid out; goal 400 ms), and moves between
# them inside the app (click to the data laid out; goal 150 ms). Headless Chromium
# (Debian's) against the release server with its demo data plus a seeded article, as
# the browser tests run it; 5 counted runs after a warm-up, medians printed and
# appended to target/e2e/figures.txt.
#
#   bench/page-speed.sh            # builds the web app and the release server first
#   SKIP_BUILD=1 bench/page-speed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
FACTDESK_E2E_SKIP_BUILD=${SKIP_BUILD:-} ./scripts/e2e e2e/page-speed.spec.ts
grep 'page speed:' target/e2e/figures.txt | tail -n 6
