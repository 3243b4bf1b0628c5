#!/usr/bin/env bash
# The performance benchmarks: sizes, Wasm ingest in Node and Chromium against a
# plain-JS baseline, native ingest, memory, the widget's main-thread time and
# network per session against baselines, collector throughput, and collector
# scale-out (one SQLite instance, one and two PostgreSQL instances on a
# throwaway cluster from scripts/postgres.sh). Prints a
# table with each figure, its target and pass/fail. Timings vary with the
# machine's load: run it on an otherwise idle machine.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/setup.sh
bash scripts/build.sh
step "Native binaries (profile server)"
cargo build --profile server -p support-kpi --example native_ingest
cargo build --profile server -p support-kpi-collector --bins
step "PostgreSQL for the scale-out figures"
source scripts/postgres.sh
postgres_start
step "Benchmarks"
node bench/run.mjs
