#!/usr/bin/env bash
# Builds pkg/: the release WebAssembly module (wasm-opt -Oz), its JS glue and
# TypeScript types, the npm package manifest, and the drop-in widget
# (scripts/build-widget.mjs); prints raw/gzip/brotli sizes.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

step "npm package build (wasm32, profile wasm-npm; the first build about 1.5 minutes on 2 cores, then seconds)"
cargo build --profile wasm-npm --target wasm32-unknown-unknown --features bundle
rm -rf pkg
wasm-bindgen --target web --out-dir pkg target/wasm32-unknown-unknown/wasm-npm/support_kpi.wasm

step "wasm-opt -Oz (npm binaryen; about 10-30 s)"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  pkg/support_kpi_bg.wasm -o pkg/support_kpi_bg.wasm

node scripts/package.mjs

step "Widget engine (the same crate without the KPI API: kpis() comes from the full module on demand; the first build about 1.5 minutes, then seconds)"
cargo build --release --target wasm32-unknown-unknown --no-default-features --features bundle --target-dir target/widget
rm -rf target/widget/glue
wasm-bindgen --target web --out-dir target/widget/glue --out-name widget target/widget/wasm32-unknown-unknown/release/support_kpi.wasm
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  target/widget/glue/widget_bg.wasm -o target/widget/widget_bg.wasm

step "Widget bundle (esbuild)"
node scripts/build-widget.mjs

step "Sizes (raw / gzip -9 / brotli -q 11, bytes)"
echo "npm package:"
node scripts/sizes.mjs pkg/support_kpi_bg.wasm pkg/support_kpi.js
echo "drop-in widget (what every page downloads; one adapter chunk when a chat vendor is found):"
node scripts/sizes.mjs pkg/widget.js pkg/widget-runtime-*.js pkg/widget-engine-*.wasm
node scripts/sizes.mjs pkg/widget-adapter-*.js | tail -n +2
echo "live KPIs (only for pages that call onKpis):"
node scripts/sizes.mjs pkg/widget-kpis-*.js pkg/widget-kpis-*.wasm | tail -n +2
