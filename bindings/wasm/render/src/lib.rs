//! The 上报表 as a file in a browser or Node: `pucha-render`, the renderer `pucha render` writes with, exported to
//! JavaScript.
//!
//! A module of its own (`pucha_render_bg.wasm`), separate from the scoring modules: the self-check widget fetches it
//! only when the user prints or exports the table. It reads a stored report (`pucha.report/1`), so what a browser
//! prints is what the CLI writes from the same report.

/// The allocator: lol_alloc's free list, as in the main module (smaller than the standard library's dlmalloc).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

mod render;

use wasm_bindgen::prelude::*;

/// The 上报表 of `report` (`pucha.report/1` JSON) as a file: `format` `html` (the page's UTF-8 bytes) or `xlsx`
/// (the workbook), in `lang` (`zh` or `en`), with the hand-in fields of `signing` (a JSON object of `authority`,
/// `unit`, `head`, `reviewer`, `filler`, `phone`, `date`; those left out are lines for the ink).
///
/// # Errors
/// The failure answer `{"type": "failure", "errors": [...]}` as JSON text: a report or signing that does not read,
/// an unknown format or language.
#[wasm_bindgen(js_name = renderReport)]
pub fn render_report(report: &str, format: &str, lang: &str, signing: &str) -> Result<Vec<u8>, String> {
    render::render_report(report, format, lang, signing)
}

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
