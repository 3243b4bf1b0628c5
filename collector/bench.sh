#!/usr/bin/env bash
# Throughput of POST /api/report: builds the server profile, starts the
# collector on a fresh database on 127.0.0.1:$PORT (default 18787), runs the
# open-loop load generator against it with the flags given, and stops the
# collector. The generator's last stdout line is its JSON summary.
#
#   collector/bench.sh --rate 20000 --duration 10     # one fixed rate
#   collector/bench.sh --find-max                     # highest rate with p99 < 20 ms and no errors
#
# Both processes run on this machine and share its cores (the JSON says how many).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-18787}"
cargo build --quiet --profile server -p support-kpi-collector
dir="$(mktemp -d)"
target/server/support-kpi-collector serve --listen "127.0.0.1:$PORT" --db "$dir/bench.db" \
    --site acme-help=https://help.acme.example --read-token bench-read-token-0123456789 --mount /=/nonexistent \
    2>"$dir/collector.log" &
collector=$!
trap 'kill "$collector" 2>/dev/null; wait "$collector" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do
    grep -q "listening on" "$dir/collector.log" && break
    kill -0 "$collector" 2>/dev/null || { cat "$dir/collector.log" >&2; exit 1; }
    sleep 0.05
done
target/server/support-kpi-loadgen --addr "127.0.0.1:$PORT" "$@"
