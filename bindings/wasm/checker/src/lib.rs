//! The self-check's page reader: `pucha-extract`, the code `pucha probe` reads pages with, exported to JavaScript.
//!
//! A module of its own (`pucha_checker_bg.wasm`), separate from the scoring module the widget loads at once: it is
//! fetched only when a user starts a check. Everything crosses as JSON text through [`pucha_extract::examine`], so
//! a page reads the same in a browser, in Node and in the probes.

/// The allocator: lol_alloc's free list, as in the main module (smaller than the standard library's dlmalloc).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

use wasm_bindgen::prelude::*;

/// Read one page: `body` as served and `request` (JSON text: `url`, `crawl`, and optionally `content_type`,
/// `home`, `terms`); answers `{"type": "success", "reading": ...}` or `{"type": "failure", "errors": [...]}` as
/// JSON text, never throwing.
#[wasm_bindgen]
pub fn examine(body: &[u8], request: &str) -> String {
    pucha_extract::examine(body, request).to_string()
}

/// Whether robots.txt text `robots` lets user agent `agent` fetch `path`.
#[wasm_bindgen(js_name = robotsAllows)]
pub fn robots_allows(robots: &str, agent: &str, path: &str) -> bool {
    pucha_extract::Robots::parse(robots, agent).allows(path)
}

/// The 8 element categories of a service guide as a JSON array of `[key, heading]`.
#[wasm_bindgen(js_name = guideElements)]
pub fn guide_elements() -> String {
    serde_json::json!(pucha_extract::GUIDE_ELEMENTS).to_string()
}

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
