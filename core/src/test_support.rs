//! Helpers shared by the core's unit tests.

use serde_json::Value;

/// The example observations and the vectors' observations in `dirs` (relative to the repository), as JSON values in
/// file-name order; a vector file holds its observations in `cases[].observation`.
pub(crate) fn observation_values(dirs: &[&str]) -> Vec<Value> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in dirs {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            files.push(e.unwrap().path());
        }
    }
    files.sort();
    let mut out = Vec::new();
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|x| x == "json"))
    {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        match v.get("cases").and_then(Value::as_array) {
            Some(cases) => out.extend(cases.iter().filter_map(|c| c.get("observation")).cloned()),
            None => out.push(v),
        }
    }
    out
}
