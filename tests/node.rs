//! The binding tests under Node.js.
#![cfg(target_arch = "wasm32")]

mod common;
