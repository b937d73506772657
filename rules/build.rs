//! Reads `packs/*.toml` into the table of embedded packs, each with a JSON copy of its TOML, so that builds without
//! a TOML parser (the browser's WebAssembly module) still load the built-in packs. A new pack is a new file here.

use std::error::Error;
use std::fmt::Write as _;
use std::path::Path;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("packs");
    println!("cargo::rerun-if-changed={}", dir.display());
    let out = std::env::var("OUT_DIR")?;
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "toml")
            && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
        {
            println!("cargo::rerun-if-changed={}", path.display());
            let src = std::fs::read_to_string(&path)?;
            let table: toml::Table = toml::from_str(&src).map_err(|e| format!("{}: {e}", path.display()))?;
            std::fs::write(
                Path::new(&out).join(format!("{stem}.json")),
                serde_json::to_string(&table)?,
            )?;
            names.push(stem.to_string());
        }
    }
    names.sort();
    // Two tables, so that a build using only the JSON copies does not carry the TOML texts.
    let (mut toml, mut json) = (String::from("&[\n"), String::from("&[\n"));
    for n in &names {
        writeln!(
            toml,
            "    ({n:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/packs/{n}.toml\"))),"
        )?;
        writeln!(
            json,
            "    ({n:?}, include_str!(concat!(env!(\"OUT_DIR\"), \"/{n}.json\"))),"
        )?;
    }
    toml.push(']');
    json.push(']');
    std::fs::write(Path::new(&out).join("packs_toml.rs"), toml)?;
    std::fs::write(Path::new(&out).join("packs_json.rs"), json)?;
    Ok(())
}
