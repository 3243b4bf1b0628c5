#!/usr/bin/env bash
# Installs what the build and the tests need, skipping what is present:
# the wasm32 target, rustfmt/clippy, Debian's Chromium + ChromeDriver and
# faketime (the pipeline tests move the collector's clock), wasm-bindgen-cli
# matching Cargo.lock, and the npm dev tools.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

step "Rust target and components"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

step "System packages (Chromium, ChromeDriver, faketime)"
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
[ -x "$CHROMEDRIVER" ] || missing+=(chromium-driver)
compgen -G "/usr/lib/*/faketime/libfaketimeMT.so.1" >/dev/null || missing+=(faketime)
if [ ${#missing[@]} -gt 0 ]; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "present: $("$CHROMIUM" --version 2>/dev/null | head -1)"
fi

step "wasm-bindgen-cli"
want="$(wasm_bindgen_version)"
[ -n "$want" ] || die "no wasm-bindgen in Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
  # Not --locked: a locked dependency of the CLI is not served by this registry.
  cargo install --quiet --force wasm-bindgen-cli --version "$want"
fi
wasm-bindgen --version

step "npm dev tools"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "node_modules up to date"
fi
