# Shared helpers for the project's scripts (sourced, not run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

# When the first script of this run started (scripts that call each other share it).
export SUPPORT_KPI_T0="${SUPPORT_KPI_T0:-$(date +%s)}"

# Prints a step's heading with the time since the run started, e.g. "== Widget bundle  [02:41]".
step() {
  local elapsed=$(($(date +%s) - SUPPORT_KPI_T0))
  printf '\n\033[1m== %s\033[0m  [%02d:%02d]\n' "$*" $((elapsed / 60)) $((elapsed % 60))
}
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root (directly, or through sudo when available).
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $*"
  fi
}

# The wasm-bindgen version pinned in Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}
