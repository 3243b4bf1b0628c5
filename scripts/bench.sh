#!/usr/bin/env bash
# The performance benchmarks: sizes, Wasm ingest in Node and Chromium against a
# plain-JS baseline, native ingest, memory, the widget against the analytics
# scripts a site would pick instead (Plausible, Umami, web-vitals, posthog-js:
# downloads, requests, main-thread CPU, long tasks; bench/peers/), network per
# session against per-event hits, collector throughput, and collector
# scale-out (one SQLite instance, one and two PostgreSQL instances on a
# throwaway cluster from scripts/postgres.sh). Prints a table with each
# figure, its target and pass/fail, then the peer table in Markdown.
# `RUNS=N` sets the peer rounds (default 9); `--peers` runs only the peer
# benchmark (after building pkg/). Timings vary with the machine's load.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/setup.sh
bash scripts/build.sh
if [[ "${1:-}" != "--peers" ]]; then
  step "Native binaries (profile server)"
  cargo build --profile server -p support-kpi --example native_ingest
  cargo build --profile server -p support-kpi-collector --bins
  step "PostgreSQL for the scale-out figures"
  source scripts/postgres.sh
  postgres_start
fi
step "Benchmarks"
node bench/run.mjs "$@"
