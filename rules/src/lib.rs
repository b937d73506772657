//! The scoring tables of pucha as declarative TOML rule packs.
//!
//! This crate holds data only: each pack is a TOML file under `packs/`, embedded as written and as a JSON copy
//! made at build time (for builds that read no TOML, such as the browser's WebAssembly module). `pucha-core`
//! parses and validates them (`RulePack::builtin`); the rule language is documented in `docs/rule-language.md`.
//! A new or changed table is a new or changed file here, never Rust code.
//!
//! ```
//! assert!(pucha_rules::get("census-2015").is_some());
//! assert!(pucha_rules::available().any(|name| name == "checklist-2019"));
//! assert!(pucha_rules::get_json("census-2015").is_some_and(|j| j.starts_with('{')));
//! ```

/// Every embedded pack as `(name, TOML source)`, sorted by name.
pub const PACKS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/packs_toml.rs"));

/// Every embedded pack as `(name, the same as JSON)`, in the order of [`PACKS`].
pub const JSON_PACKS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/packs_json.rs"));

/// The TOML source of the embedded pack `name`, if there is one.
pub fn get(name: &str) -> Option<&'static str> {
    PACKS.iter().find(|p| p.0 == name).map(|p| p.1)
}

/// The embedded pack `name` as JSON (its TOML document converted at build time), if there is one.
pub fn get_json(name: &str) -> Option<&'static str> {
    JSON_PACKS.iter().find(|p| p.0 == name).map(|p| p.1)
}

/// The names of all embedded packs.
pub fn available() -> impl Iterator<Item = &'static str> {
    JSON_PACKS.iter().map(|p| p.0)
}
