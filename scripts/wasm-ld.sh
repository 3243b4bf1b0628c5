#!/usr/bin/env bash
# The linker of the shipped Wasm builds (scripts/build.sh sets it): rust-lld,
# minus the exports of js-sys's and wasm-bindgen's JSPI task runner
# (`__wbg_jspi_task_poll`, `__wbindgen_jspi_set_rejected`). As link roots
# they keep the task runner, whose waker vtable and RefCell panic messages put
# functions (with core::fmt's `Formatter::pad`) into the function table, where
# neither wasm-bindgen nor wasm-opt can remove them. The crate has no
# `#[wasm_bindgen(jspi)]` export, so wasm-bindgen deletes both exports anyway:
# the module's interface and its JS glue stay the same (README "Sizes and
# budgets"). rustc puts rust-lld on the linker's PATH.
set -euo pipefail
args=()
while [ $# -gt 0 ]; do
  case "$1 ${2:-}" in
    "--export __wbg_jspi_task_poll" | "--export __wbindgen_jspi_set_rejected") shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
exec rust-lld "${args[@]}"
