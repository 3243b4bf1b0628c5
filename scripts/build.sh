#!/usr/bin/env bash
# Builds pkg/: the release WebAssembly module (wasm-opt -Oz), its JS glue and
# TypeScript types, the npm package manifest, and the drop-in widget
# (scripts/build-widget.mjs); prints raw/gzip/brotli sizes.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

# Both shipped modules link without the JSPI task runner (scripts/wasm-ld.sh).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$ROOT/scripts/wasm-ld.sh"
# wasm-opt for both: functions that differ only in constants merged first
# (monomorphised copies), then -Oz until nothing changes, then the functions
# most called first (their calls take the shortest indices); constant offsets
# fold into loads and stores (--low-memory-unused: the one difference, an
# address wrapping around 4 GB into the lowest 1 KB now traps, is one Rust's
# pointer arithmetic never makes); the producers and target-features
# sections are build metadata no browser reads.
WASM_OPT=(wasm-opt --merge-similar-functions -Oz --converge --reorder-functions --low-memory-unused --strip-producers --strip-target-features
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals)

step "npm package build (wasm32, profile wasm-npm; the first build about 1.5 minutes on 2 cores, then seconds)"
cargo build --profile wasm-npm --target wasm32-unknown-unknown --features bundle
rm -rf pkg
wasm-bindgen --target web --out-dir pkg target/wasm32-unknown-unknown/wasm-npm/support_kpi.wasm

step "wasm-opt -Oz --converge (npm binaryen; about 10-40 s)"
"${WASM_OPT[@]}" pkg/support_kpi_bg.wasm -o pkg/support_kpi_bg.wasm

node scripts/package.mjs

step "Widget engine (the same crate without the KPI API: kpis() comes from the full module on demand; the first build about 1.5 minutes, then seconds)"
cargo build --release --target wasm32-unknown-unknown --no-default-features --features bundle --target-dir target/widget
rm -rf target/widget/glue
wasm-bindgen --target web --out-dir target/widget/glue --out-name widget target/widget/wasm32-unknown-unknown/release/support_kpi.wasm
"${WASM_OPT[@]}" target/widget/glue/widget_bg.wasm -o target/widget/widget_bg.wasm

step "Widget bundle (esbuild)"
node scripts/build-widget.mjs

step "Sizes (raw / gzip -9 / brotli -q 11, bytes)"
echo "npm package:"
node scripts/sizes.mjs pkg/support_kpi_bg.wasm pkg/support_kpi.js pkg/snippets/*/src/wasm/*.js
echo "drop-in widget (what every page downloads; one adapter chunk when a chat vendor is found):"
node scripts/sizes.mjs pkg/widget.js pkg/widget-runtime-*.js pkg/widget-engine-*.wasm
node scripts/sizes.mjs pkg/widget-adapter-*.js | tail -n +2
echo "live KPIs (only for pages that call onKpis):"
node scripts/sizes.mjs pkg/widget-kpis-*.js pkg/widget-kpis-*.wasm | tail -n +2
