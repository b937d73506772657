//! The observations the pack and expression targets score: a full one (every fact given) and a partial one (most
//! facts missing, so rules are evaluated over ranges).

use pucha_core::Observation;
use std::sync::OnceLock;

/// The two observations, read once.
pub fn observations() -> &'static [Observation; 2] {
    static OBS: OnceLock<[Observation; 2]> = OnceLock::new();
    OBS.get_or_init(|| {
        [
            Observation::from_json_str(include_str!("../../examples/observations/counts-only.json"))
                .expect("the example reads"),
            Observation::from_json_str(
                r#"{"monitoring_point": "2015-06-30", "site": {"name": "x", "kind": "portal"}}"#,
            )
            .expect("the partial observation reads"),
        ]
    })
}
