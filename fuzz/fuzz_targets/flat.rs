//! The flat-record reader (the self-check form's and the spreadsheets' one row per site): any text either fails
//! with an error naming the record or a column, or gives an observation whose JSON reads back as the same one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pucha_core::Observation;
use pucha_core::flat::observation_from_flat_json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok((json, obs)) = observation_from_flat_json(text) {
        let again = Observation::from_json_str(&json).expect("the flat record's JSON reads back");
        assert_eq!(format!("{again:?}"), format!("{obs:?}"), "{json}");
    }
});
