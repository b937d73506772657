//! Compiles the built-in packs of `pucha-rules` with `pucha-core` (built for the host, same source as the module's
//! engine) and writes their bytes, so that the module embeds them compiled: it then needs neither the pack reader
//! nor the expression compiler, and building an engine runs little code (which a browser compiles on first use).

use std::error::Error;
use std::fmt::Write as _;
use std::path::Path;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = std::env::var("OUT_DIR")?;
    // The main module neither describes packs (`info`) nor writes text reports, so it embeds them without the texts
    // only those show; the full module embeds them whole.
    let full = std::env::var_os("CARGO_FEATURE_FULL").is_some();
    let mut table = String::from("&[\n");
    for name in pucha_rules::available() {
        let pack = pucha_core::RulePack::builtin(name).map_err(|e| format!("built-in pack `{name}`: {e}"))?;
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
    Ok(())
}
