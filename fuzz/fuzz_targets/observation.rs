//! The observation readers: the derived one and the lean one (the WebAssembly module's) give the same observation
//! or the same error for any text; whatever reads is scored, rendered and written out without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pucha_core::{Engine, Lang, Observation, render_text};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin("census-2015").expect("the built-in pack loads"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (derived, lean) = pucha_core::fuzzing::observation_readers(text);
    match (&derived, &lean) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "the two readers read different observations"),
        (Err(a), Err(b)) => assert_eq!(a, b, "the two readers fail differently"),
        _ => panic!("one reader accepts, the other refuses: derived {derived:?}, lean {lean:?}"),
    }
    if let Ok(obs) = Observation::from_json_str(text) {
        let report = engine().score(&obs);
        let json = report.to_json();
        assert!(reads_back(&json), "the report does not read back: {json}");
        let _ = render_text(&report, Lang::Zh);
        let _ = engine().tally(&obs);
    }
});

/// The report the engine writes by hand reads back as a stored report.
fn reads_back(text: &str) -> bool {
    pucha_core::stored::StoredReport::from_json_str(text).is_ok()
}
