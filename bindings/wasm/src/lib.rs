//! WebAssembly exports of pucha.
//!
//! Everything crosses as JSON text through the core's one boundary ([`pucha_core::ffi`]), so the browser, Node,
//! Python and the CLI score identically. Exports never throw for bad input: they answer
//! `{"type": "failure", "errors": [...]}` and the JavaScript wrapper (`js/api.js`) turns that into a typed `Error`
//! carrying `code`, `path` and `rule`. The one exception is the [`Engine`] constructor, which throws the same JSON
//! text as a string.
//!
//! Two modules are built from this crate. The main one (default features) has what scoring needs — [`Engine`]
//! with `score` and `scoreFlat`, [`packs`], [`version`] — and is what the self-check widget loads. The full one
//! (feature `full`) adds TOML packs, the text report (`scoreText`), the pack's description (`info`), the flat
//! record helpers and `call`; a page fetches it only when it asks for those.

mod answers;

/// The allocator: lol_alloc's free list instead of the standard library's dlmalloc, 7.8 KB less of the module
/// (3.5 KB gzipped). Scoring in Node took the same time with either, and memory stayed flat over 2,400 scores of
/// observations from 1 KB to 210 KB (docs/performance.md). Made without `unsafe`: the lock is a spin lock, never
/// contended in a single-threaded module.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

use wasm_bindgen::prelude::*;

use answers::packs_json;

/// A reusable engine: one pack with its parameters, compiled once.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Engine {
    inner: pucha_core::Engine,
}

#[wasm_bindgen]
impl Engine {
    /// Compile `pack` (JSON: a built-in name or `{"toml": "..."}`) with `params` (JSON object of overrides).
    ///
    /// # Errors
    /// The JSON text `{"type": "failure", "errors": [...]}` when the pack or a parameter is wrong.
    #[wasm_bindgen(constructor)]
    pub fn new(pack: &str, params: &str) -> Result<Engine, String> {
        answers::engine(pack, params).map(|inner| Engine { inner })
    }

    /// Score an observation (JSON text); answers `{"type": "success", "report": ...}` or a failure.
    pub fn score(&self, observation: &str) -> String {
        answers::score(&self.inner, observation)
    }

    /// Score and render the report as text in `lang` (`zh` or `en`); answers `{"type": "success", "text": ...}`.
    /// Full module only.
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = scoreText)]
    pub fn score_text(&self, observation: &str, lang: &str) -> String {
        answers::score_text(&self.inner, observation, lang)
    }

    /// Turn a flat record (JSON object of documented flat column names) into an observation and score it;
    /// answers `{"type": "success", "observation": ..., "report": ...}`.
    #[wasm_bindgen(js_name = scoreFlat)]
    pub fn score_flat(&self, record: &str) -> String {
        answers::score_flat(&self.inner, record)
    }

    /// The pack described as JSON: meta, indicators, rules, parameters. Full module only.
    #[cfg(feature = "full")]
    pub fn info(&self) -> String {
        pucha_core::ffi::pack_info(self.inner.pack()).to_string()
    }
}

/// The built-in packs as a JSON array of `{id, version, title, completeness}`.
#[wasm_bindgen]
pub fn packs() -> String {
    packs_json()
}

/// Handle a whole request (`{pack, params, observation}`) through the shared boundary; the test vectors use it.
/// Full module only.
#[cfg(feature = "full")]
#[wasm_bindgen]
pub fn call(request: &str) -> String {
    pucha_core::ffi::call_with(&answers::load_pack, request)
}

/// The observation a flat record stands for; answers `{"type": "success", "observation": ...}` or a failure.
/// Full module only.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = flatToObservation)]
pub fn flat_to_observation(record: &str) -> String {
    answers::flat_to_observation_json(record)
}

/// The documented flat column names with their meaning, as a JSON array of `[name, meaning]`. Full module only.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = flatColumns)]
pub fn flat_columns() -> String {
    answers::flat_columns_json()
}

/// What is wrong with `input` read as `reading` — `observation` (as `score` reads it), `result` (a stored report
/// or summary) or `params` (overrides of `pack`, JSON as [`Engine::new`] takes them): `""` when nothing is, else
/// the error as JSON `{code, path?, line?, column?, help?, message, zh, en, text}`, with the core's words for people
/// (`zh` and `en` the sentence in each language, `text` the place and both) and the hint for a common mistake.
/// Full module only.
#[cfg(feature = "full")]
#[wasm_bindgen]
pub fn explain(reading: &str, input: &str, pack: &str) -> String {
    use pucha_core::messages::{Reading, hinted, read_observation};
    let problem = match reading {
        "observation" => read_observation(input).err(),
        "result" => pucha_core::stored::StoredReport::from_json_str(input)
            .err()
            .map(|e| hinted(input, e, Reading::Result)),
        "params" => pucha_core::ffi::engine_from_json(&answers::load_pack, pack, input).err(),
        other => Some(pucha_core::Error::new(
            pucha_core::ErrorKind::InvalidArgument,
            format!("读法 `{other}` 不存在 / no reading `{other}`; use `observation`, `result` or `params`"),
        )),
    };
    let Some(e) = problem else {
        return String::new();
    };
    let mut v = serde_json::to_value(&e).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("zh".into(), e.words(pucha_core::Lang::Zh).into());
        o.insert("en".into(), e.words(pucha_core::Lang::En).into());
        o.insert("text".into(), e.bilingual().into());
    }
    v.to_string()
}

/// Whether this is the full module (`pucha_wasm_full_bg.wasm`, which reads TOML packs) or the main one.
#[wasm_bindgen(js_name = readsToml)]
pub fn reads_toml() -> bool {
    pucha_core::READS_TOML
}

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
