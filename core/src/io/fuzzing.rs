//! What the fuzz targets (`fuzz/`, feature `fuzzing`) reach that is private to the crate: the lean observation
//! reader, answered beside the derived one so a target can check that the two agree.

use crate::model::error::Error;

/// One text through both observation readers, before the checks across fields: the derived reader's answer (less
/// the provenance, which the lean reader checks but does not keep) and the lean reader's, each observation as its
/// debug text. The two must be the same observation, or errors with the same code, path and position.
pub fn observation_readers(text: &str) -> (Result<String, Error>, Result<String, Error>) {
    let derived = crate::io::read::derived(text).map(|mut o| {
        o.provenance = None;
        format!("{o:?}")
    });
    let lean = crate::io::lean_reader::read(text).map(|o| format!("{o:?}"));
    (derived, lean)
}
