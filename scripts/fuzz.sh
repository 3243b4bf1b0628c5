#!/usr/bin/env bash
# Fuzzes the engine's decoders and the collector's request handling with
# cargo-fuzz (libFuzzer); the targets are in fuzz/fuzz_targets/.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 30 s each, every target)
#
# Each target starts from its committed seeds (fuzz/corpus/TARGET) and known
# crashers (fuzz/regressions/TARGET), read-only; what libFuzzer finds goes to
# a scratch corpus under fuzz/target/corpus/TARGET, so the repository stays
# clean. Prints per target the executions, executions per second and whether
# it crashed; a crashing input is saved under fuzz/artifacts/TARGET/ and the
# script exits 1. Runs on stable Rust: installs cargo-fuzz if missing.
#
# Environment:
#   FUZZ_SANITIZER=address   build with AddressSanitizer (default none: the code
#                            under test is safe Rust, and ASan costs ~2-3x speed);
#                            needs nightly flags, enabled on stable with RUSTC_BOOTSTRAP=1
#   FUZZ_ARGS="-x=y ..."     extra libFuzzer flags for every target
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
ALL_TARGETS=(event_decoder event_packed config_decoder report_decoder_merge engine_state collector_request)

SECONDS_PER_TARGET=${1:-30}
if ! [[ $SECONDS_PER_TARGET =~ ^[0-9]+$ ]] || ((SECONDS_PER_TARGET < 1)); then
  echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]  (targets: ${ALL_TARGETS[*]})" >&2
  exit 2
fi
shift $(($# > 0 ? 1 : 0))
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=("${ALL_TARGETS[@]}")
for target in "${TARGETS[@]}"; do
  if [[ ! -f fuzz/fuzz_targets/$target.rs ]]; then
    echo "unknown target '$target' (targets: ${ALL_TARGETS[*]})" >&2
    exit 2
  fi
done

SANITIZER=${FUZZ_SANITIZER:-none}
if [[ $SANITIZER != none ]]; then
  # The sanitizer flags are nightly-only; this lets stable rustc accept them.
  export RUSTC_BOOTSTRAP=1
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

started=$SECONDS
LOGS=fuzz/target/logs
mkdir -p "$LOGS"
echo "== building the fuzz targets (sanitizer: $SANITIZER; log: $LOGS/build.log)"
# `cargo fuzz build` builds one target or all of them.
build_target=()
((${#TARGETS[@]} == 1)) && build_target=("${TARGETS[0]}")
if ! cargo fuzz build --sanitizer "$SANITIZER" "${build_target[@]}" >"$LOGS/build.log" 2>&1; then
  tail -30 "$LOGS/build.log" >&2
  echo "build failed (log: $LOGS/build.log)" >&2
  exit 1
fi
build_seconds=$((SECONDS - started))
echo "   built in ${build_seconds}s"

declare -A EXECS RATE RESULT
failed=0
for target in "${TARGETS[@]}"; do
  scratch=fuzz/target/corpus/$target
  artifacts=fuzz/artifacts/$target
  mkdir -p "$scratch" "$artifacts"
  corpora=("$scratch")
  for dir in fuzz/corpus/$target fuzz/regressions/$target; do
    [[ -d $dir ]] && corpora+=("$dir")
  done
  flags=(-max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 -artifact_prefix="$ROOT/$artifacts/")
  [[ -f fuzz/dict/$target.dict ]] && flags+=(-dict="fuzz/dict/$target.dict")
  # An input that takes this long is a hang (the collector has its own 10 s limit per request).
  if [[ $target == collector_request ]]; then flags+=(-timeout=60); else flags+=(-timeout=10); fi
  # shellcheck disable=SC2206
  flags+=(${FUZZ_ARGS:-})
  log=$LOGS/$target.log
  echo "== $target: ${SECONDS_PER_TARGET}s (log: $log)"
  status=0
  cargo fuzz run --sanitizer "$SANITIZER" "$target" "${corpora[@]}" -- "${flags[@]}" >"$log" 2>&1 || status=$?
  EXECS[$target]=$(grep -oE 'stat::number_of_executed_units:[[:space:]]+[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || true)
  RATE[$target]=$(grep -oE 'stat::average_exec_per_sec:[[:space:]]+[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || true)
  # -fork mode prints no final stats: take its last status line (#N: cov: … exec/s: R …).
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  [[ -n ${EXECS[$target]} ]] || EXECS[$target]=$(grep -oE '^#[0-9]+' <<<"$last" | tr -d '#' || true)
  if [[ -z ${RATE[$target]} && -n ${EXECS[$target]} ]]; then
    fork_seconds=$(grep -oE 'time: [0-9]+s' <<<"$last" | grep -oE '[0-9]+' || true)
    ((${fork_seconds:-0} > 0)) && RATE[$target]=$((EXECS[$target] / fork_seconds))
  fi
  EXECS[$target]=${EXECS[$target]:-?}
  RATE[$target]=${RATE[$target]:-?}
  crash=$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -1 | sed 's/Test unit written to //' || true)
  if ((status != 0)) || [[ -n $crash ]]; then
    failed=1
    RESULT[$target]="CRASH ${crash:-(exit $status, see $log)}"
    grep -m1 -A4 -E 'panicked at|ERROR: libFuzzer' "$log" | sed 's/^/   | /' | cut -c1-400 || true
  else
    RESULT[$target]=ok
  fi
  echo "   ${EXECS[$target]} execs, ${RATE[$target]} exec/s: ${RESULT[$target]}"
done

# The collector target's scratch databases (tmpfs) of processes that have ended.
for dir in /dev/shm/support-kpi-fuzz/* "${TMPDIR:-/tmp}"/support-kpi-fuzz/*; do
  pid=${dir##*/}
  pid=${pid%%-*}
  [[ -d $dir && $pid =~ ^[0-9]+$ && ! -d /proc/$pid ]] && rm -rf "$dir"
done

echo
printf '%-22s %12s %8s  %s\n' target execs exec/s result
for target in "${TARGETS[@]}"; do
  printf '%-22s %12s %8s  %s\n' "$target" "${EXECS[$target]}" "${RATE[$target]}" "${RESULT[$target]}"
done
echo "build ${build_seconds}s, total $((SECONDS - started))s"
if ((failed)); then
  echo "a target crashed: reproduce with  cargo fuzz run -s $SANITIZER TARGET fuzz/artifacts/TARGET/crash-…  (add the input to fuzz/regressions/TARGET/)" >&2
  exit 1
fi
