//! The site-profile readers: XLSX bytes (a workbook laid out like 附件3 and 附件4), JSON or TOML text. Anything either
//! fails with a message or reads into a profile that checks, and that reads back from its TOML as the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pucha_extract::profile::SiteProfile;
use pucha_extract::profile_from_xlsx;

fuzz_target!(|data: &[u8]| {
    let read = if data.starts_with(b"PK") {
        profile_from_xlsx(data)
    } else if let Ok(text) = std::str::from_utf8(data) {
        if text.trim_start().starts_with('{') {
            SiteProfile::from_json_str(text)
        } else {
            SiteProfile::from_toml_str(text)
        }
    } else {
        return;
    };
    let Ok(p) = read else {
        return;
    };
    let _ = p.check();
    let toml = p.to_toml();
    let again = SiteProfile::from_toml_str(&toml).expect("a profile's TOML reads back");
    assert_eq!(format!("{again:?}"), format!("{p:?}"), "{toml}");
});
