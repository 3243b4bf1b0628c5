#!/usr/bin/env bash
# Installs what the build and the tests need, skipping what is present:
# the wasm32 target, rustfmt/clippy, Debian's Chromium + ChromeDriver and
# faketime (the pipeline tests move the collector's clock), wasm-bindgen-cli
# matching Cargo.lock, and the npm dev tools. Each step says what it installs
# and about how long that takes on 2 cores; with everything present the
# whole script takes a few seconds.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

step "Rust target and components"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "adding the wasm32-unknown-unknown target (a download, under a minute)"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    echo "adding $component (a download, under a minute)"
    rustup component add "$component"
  fi
done
echo "present: wasm32-unknown-unknown, rustfmt, clippy"

step "System packages (Chromium, ChromeDriver, faketime, systemd-analyze)"
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
[ -x "$CHROMEDRIVER" ] || missing+=(chromium-driver)
compgen -G "/usr/lib/*/faketime/libfaketimeMT.so.1" >/dev/null || missing+=(faketime)
command -v systemd-analyze >/dev/null || missing+=(systemd) # the deploy test verifies the unit file
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} with apt-get (about 1-3 minutes, mostly downloading Chromium)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "present: $("$CHROMIUM" --version 2>/dev/null | head -1)"

step "wasm-bindgen-cli"
want="$(wasm_bindgen_version)"
[ -n "$want" ] || die "no wasm-bindgen in Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
  echo "installing wasm-bindgen-cli $want from source, once per machine (about 5 minutes on 2 cores, up to 15 when they are busy)"
  # Not --locked: a locked dependency of the CLI is not served by this registry.
  cargo install --force wasm-bindgen-cli --version "$want"
fi
wasm-bindgen --version

step "npm dev tools"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "npm ci (binaryen, esbuild, terser, echarts, playwright-core, and the trackers the bench compares; about 10-30 s from npm's cache)"
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "node_modules up to date"
fi
