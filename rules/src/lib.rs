//! The scoring tables of pucha as declarative TOML rule packs.
//!
//! This crate holds data only: each pack is a TOML file under `packs/`, embedded with `include_str!`.
//! `pucha-core` parses and validates them (`RulePack::builtin`); the rule language is documented in
//! `docs/rule-language.md`. A new or changed table is a new or changed file here, never Rust code.
//!
//! ```
//! assert!(pucha_rules::get("census-2015").is_some());
//! assert!(pucha_rules::available().any(|name| name == "checklist-2019"));
//! ```

macro_rules! packs {
    ($($name:literal),* $(,)?) => {
        /// Every embedded pack as `(name, TOML source)`, in a stable order.
        pub const PACKS: &[(&str, &str)] = &[$(($name, include_str!(concat!("../packs/", $name, ".toml")))),*];
    };
}

packs!("census-2015", "checklist-2019");

/// The TOML source of the embedded pack `name`, if there is one.
pub fn get(name: &str) -> Option<&'static str> {
    PACKS.iter().find(|(n, _)| *n == name).map(|(_, src)| *src)
}

/// The names of all embedded packs.
pub fn available() -> impl Iterator<Item = &'static str> {
    PACKS.iter().map(|(n, _)| *n)
}
