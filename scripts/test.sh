#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, then
# formatting, lints and docs, the release build (pkg/, which the collector
# embeds and its tests serve), native unit, property and collector tests (on
# SQLite and on a throwaway PostgreSQL cluster, scripts/postgres.sh), the
# binding tests under Node and headless Chromium, an API
# fuzz run against the OpenAPI document, the browser end-to-end tests
# (package, widget, adapters, privacy, the pipeline from simulated visitors
# to the collector's API, the dashboard), a check that the committed fuzz
# seeds are what today's engine writes, and a fuzz smoke run (FUZZ_SECONDS
# per target, default 30).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/setup.sh

step "Format, lints, docs"
cargo fmt --all --check
cargo fmt --manifest-path fuzz/Cargo.toml --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p support-kpi --target wasm32-unknown-unknown --lib --test node --test browser -- -D warnings
cargo clippy -p support-kpi --target wasm32-unknown-unknown --no-default-features --features bundle --lib -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

# Before the native tests: the collector embeds pkg/ (collector/build.rs), and
# its static file tests fail under CI when the widget is missing.
bash scripts/build.sh

step "PostgreSQL: a throwaway cluster for the collector's tests on both stores"
source scripts/postgres.sh
postgres_start

step "Native tests: engine (unit, per KPI family, properties) and collector (HTTP on SQLite and PostgreSQL, SIGKILL durability, two instances, migrate-store, CLI)"
cargo test --workspace

step "Binding tests: Node"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
cargo test -p support-kpi --target wasm32-unknown-unknown --test node

step "Binding tests: headless Chromium"
cargo test -p support-kpi --target wasm32-unknown-unknown --test browser

cargo build -p support-kpi-collector

# Property-based API fuzz (schemathesis) against the OpenAPI document.
bash scripts/api-fuzz.sh

node --test tests/unit/ # the widget's report policy and tab hand-over, in Node without a browser
step "Browser end-to-end (Playwright + Chromium): package, widget, adapters, privacy, collector pipeline, dashboard"
node --test tests/e2e/

step "Fuzz seeds: written again from today's engine (fuzz/examples/seeds.rs) and compared with the committed fuzz/corpus"
cargo run --quiet --manifest-path fuzz/Cargo.toml --example seeds -- fuzz/target/seeds
diff -r --exclude=event_packed fuzz/corpus fuzz/target/seeds ||
  die "fuzz/corpus is stale: cargo run --manifest-path fuzz/Cargo.toml --example seeds rewrites it"

step "Fuzz smoke: every cargo-fuzz target for ${FUZZ_SECONDS:-30} s from the committed seeds and regressions"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-30}"

step "All tests passed"
