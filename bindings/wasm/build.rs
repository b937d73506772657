//! Compiles the built-in packs of `pucha-rules` with `pucha-core` (built for the host, same source as the module's
//! engine) and writes their bytes, so that the module embeds them compiled: it then needs neither the pack reader
//! nor the expression compiler, and building an engine runs little code (which a browser compiles on first use).
//!
//! The main module embeds only the packs of [`MAIN_PACKS`] (what the self-check widget scores with); the full one
//! embeds every built-in pack. Both list every built-in pack (`packs()`), from a JSON text written here.

use std::error::Error;
use std::fmt::Write as _;
use std::path::Path;

/// The built-in packs the main module embeds; the others come with the full module (checklist-2019 would add
/// 2.3 KB gzipped to the main module, which has a budget of 120,000 bytes).
const MAIN_PACKS: &[&str] = &["census-2015"];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = std::env::var("OUT_DIR")?;
    // The main module neither describes packs (`info`) nor writes text reports, so it embeds them without the texts
    // only those show; the full module embeds them whole.
    let full = std::env::var_os("CARGO_FEATURE_FULL").is_some();
    let mut table = String::from("&[\n");
    let mut all = Vec::new();
    let mut elsewhere = Vec::new();
    for name in pucha_rules::available() {
        let pack = pucha_core::RulePack::builtin(name).map_err(|e| format!("built-in pack `{name}`: {e}"))?;
        all.push(pack.clone());
        if !full && !MAIN_PACKS.contains(&name) {
            elsewhere.push(name);
            continue;
        }
        let bytes = if full {
            pack.to_compiled()
        } else {
            pack.to_compiled_for_scoring()
        };
        std::fs::write(Path::new(&out).join(format!("{name}.bin")), bytes)?;
        writeln!(
            table,
            "    ({name:?}, include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{name}.bin\"))),"
        )?;
    }
    table.push(']');
    std::fs::write(Path::new(&out).join("compiled_packs.rs"), table)?;
    std::fs::write(
        Path::new(&out).join("full_only_packs.rs"),
        format!("&{elsewhere:?}"),
    )?;
    std::fs::write(
        Path::new(&out).join("packs.json"),
        pucha_core::ffi::packs_json(&all),
    )?;
    Ok(())
}
