//! Allocator and panic handler of the shipped (`bundle`) build, which does
//! without std: Talc is smaller than std's dlmalloc, and a panic handler that
//! ignores its message keeps most of `core::fmt` out of the module (what is
//! left is in README "Sizes and budgets"). The engine never panics on any
//! input; reaching the handler would be a bug.

#[cfg(feature = "bundle")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(feature = "bundle")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
